/**
 * Named, typed views of an attribution of a batch of histories: the flat `[batch, position,
 * modality]` arrays of an {@linkcode AttributionResult} read as rows of (user, history item,
 * modality, contribution), by user, by modality, as a table for `displayTable`, as a danfo
 * DataFrame, or as a contribution heatmap of a user's most recent items. The index arithmetic of
 * the flat layout lives here and nowhere else.
 *
 * @example
 * ```ts
 * const result = attributeBatch(model, batch);
 * const histories = new AttributedHistories(result, batch, dataset, model.modalityNames);
 * histories.rows({ user: batch.users[0] }).slice(0, 3); // ContributionRow[]
 * histories.byModality(); // ModalityRow[]
 * ```
 */
import { attributionMethodName } from "../attribution/method_names.ts";
import type { AttributionResult } from "../attribution/types.ts";
import { type DataFrame, recordsFrame } from "../tables/mod.ts";
import type { InteractionDataset, PlantedTruth, SequenceBatch } from "../data/types.ts";
import {
  checkInteger,
  checkOneOf,
  checkSettingNames,
  SettingError,
  type SettingNames,
} from "../util/settings.ts";
import {
  contributionHeatmap,
  type ContributionHeatmapInput,
  HEATMAP_SCALES,
} from "../viz/contribution_heatmap.ts";
import type { Figure } from "../viz/figure.ts";
import type { TableCell } from "../viz/table_html.ts";

/** One valid (user, history item, modality) pair. */
export interface ContributionRow {
  /** External user id. */
  user: string;
  /** Internal user id (row of the dataset). */
  userIndex: number;
  /** How far back the item is: 1 = the most recent history item of the window. */
  recency: number;
  /** Title (or external id) of the history item. */
  item: string;
  /** Internal item id. */
  itemIndex: number;
  /** The modality's name. */
  modality: string;
  /** Raw contribution (method's units). */
  contribution: number;
  /** Contribution normalised per user (z-score or rank). */
  normalised: number;
  /** Selected as noise. */
  noise: boolean;
}

/** One (user, modality): the attribution judged over all of the user's history items. */
export interface UserModalityRow {
  /** External user id. */
  user: string;
  /** Internal user id (row of the dataset). */
  userIndex: number;
  /** The modality's name. */
  modality: string;
  /** Valid history items that carry this modality. */
  items: number;
  /** Mean normalised contribution over those items. */
  meanNormalised: number;
  /** Share of those items at which the modality was selected as noise. */
  noiseShare: number;
  /** The majority vote `noiseShare > 0.5` (the vote `scoreAgainstTruth` uses at this level). */
  calledNoise: boolean;
  /** With a planted truth: whether the modality truly drives the user. */
  planted?: "point of interest" | "noise";
}

/** One modality over the whole batch. */
export interface ModalityRow {
  /** The modality's name. */
  modality: string;
  /** Valid (user, item) pairs that carry this modality. */
  pairs: number;
  /** Mean raw contribution over those pairs. */
  meanContribution: number;
  /** Mean normalised contribution over those pairs. */
  meanNormalised: number;
  /** Share of the pairs selected as noise. */
  noiseRate: number;
}

/** Which rows {@linkcode AttributedHistories.rows} returns. */
export interface RowFilter {
  /** Internal user id. */
  user?: number;
  /** Only this modality. */
  modality?: string;
  /** Only the `n` most recent history items of each user. */
  lastItems?: number;
}

/** A table for `displayTable` (columns and rows). */
export interface RowTable {
  /** Column headers. */
  columns: string[];
  /** Rows, one cell per column. */
  rows: Array<Array<TableCell>>;
}

/** How many of a user's most recent items a heatmap shows when `lastItems` is not given. */
export const DEFAULT_HEATMAP_LAST_ITEMS = 12;
/** The longest item label of a heatmap, when `labelLength` is not given. */
export const DEFAULT_HEATMAP_LABEL_LENGTH = 22;

/** Options of {@linkcode AttributedHistories.heatmap}. */
export interface HistoryHeatmapOptions {
  /**
   * How many of the most recent history items to show (default
   * {@linkcode DEFAULT_HEATMAP_LAST_ITEMS} (12)).
   */
  lastItems?: number;
  /** `[batch, position, modality]` values to draw instead of the normalised contributions (for
   * example a contrastive view's mask). */
  values?: ArrayLike<number>;
  /**
   * Figure title. Default: the user and what is drawn; for the contributions, their method and
   * normalisation ("User 42: gradient × input, z-scored per user"), so that a saved figure says how
   * it was computed.
   */
  title?: string;
  /** Title of the colour bar. */
  colorBarTitle?: string;
  /** Colour scale of the heatmap (as in {@linkcode ContributionHeatmapInput}). */
  scale?: ContributionHeatmapInput["scale"];
  /**
   * Longest item label before it is cut with an ellipsis (default
   * {@linkcode DEFAULT_HEATMAP_LABEL_LENGTH} (22)).
   */
  labelLength?: number;
}

const ROW_FILTER_SETTINGS: SettingNames<RowFilter> = Object.freeze({
  user: true,
  modality: true,
  lastItems: true,
});

const HEATMAP_SETTINGS: SettingNames<HistoryHeatmapOptions> = Object.freeze({
  lastItems: true,
  values: true,
  title: true,
  colorBarTitle: true,
  scale: true,
  labelLength: true,
});

/** The settings of {@linkcode AttributedHistories.userModalities}. */
const USER_MODALITIES_SETTINGS = Object.freeze({ user: true, truth: true });

/** How many of the batch's users a refused user id's message lists before it cuts the list. */
const USERS_LISTED = 10;

/** Throws unless `value` is a string (a title). */
function checkText(setting: string, value: unknown): void {
  if (typeof value !== "string") throw new SettingError(setting, value, "a string");
}

/**
 * Checks every setting of a {@linkcode RowFilter} but `user` (checked against the batch where the
 * row is looked up). A typo in a filter's name or a modality found no row: an empty table, not an
 * error; a count that is not a whole number >= 1 did the same.
 */
function checkRowFilter(filter: RowFilter, known: object, modalityNames: readonly string[]): void {
  checkSettingNames("RowFilter", filter, known);
  if (filter.modality !== undefined) {
    checkOneOf("RowFilter.modality", filter.modality, modalityNames);
  }
  if (filter.lastItems !== undefined) {
    checkInteger("RowFilter.lastItems", filter.lastItems, { min: 1 });
  }
}

/** See the module comment. */
export class AttributedHistories {
  /** The attribution. */
  readonly result: AttributionResult;
  /** The histories it attributed. */
  readonly batch: SequenceBatch;
  /** Where user and item names come from. */
  readonly dataset: InteractionDataset;
  /** Names along the modality axis (the model's `modalityNames`). */
  readonly modalityNames: readonly string[];

  /** Wraps the attribution `result` of `batch`; throws when their shapes disagree. */
  constructor(
    result: AttributionResult,
    batch: SequenceBatch,
    dataset: InteractionDataset,
    modalityNames: readonly string[],
  ) {
    const [rows, positions, modalities] = result.shape;
    if (rows !== batch.batchSize || positions !== batch.length) {
      throw new Error(
        `AttributedHistories: result shape [${result.shape}] does not match the batch ` +
          `[${batch.batchSize}, ${batch.length}]`,
      );
    }
    if (modalities !== modalityNames.length) {
      throw new Error(
        `AttributedHistories: ${modalityNames.length} modality names for ${modalities} modalities`,
      );
    }
    this.result = result;
    this.batch = batch;
    this.dataset = dataset;
    this.modalityNames = modalityNames;
  }

  /** Internal user ids, in batch order. */
  get users(): number[] {
    return Array.from(this.batch.users);
  }

  /** Title (or external id) of an internal item id. */
  itemName(item: number): string {
    return this.dataset.itemTitles?.[item] ?? this.dataset.itemIds[item];
  }

  /** The batch row of internal user id `user`; a `SettingError` naming `setting` when none. */
  #row(user: number, setting: string): number {
    const row = Number.isInteger(user) ? this.batch.users.indexOf(user) : -1;
    if (row < 0) {
      const { users } = this;
      const listed = users.slice(0, USERS_LISTED).join(", ") +
        (users.length > USERS_LISTED ? ", ..." : "");
      throw new SettingError(
        setting,
        user,
        `an internal user id of the batch (AttributedHistories.users, ${users.length}): ${listed}`,
      );
    }
    return row;
  }

  #flat(row: number, position: number, modality: number): number {
    return (row * this.batch.length + position) * this.modalityNames.length + modality;
  }

  /**
   * Every valid pair (or those `filter` keeps), users in batch order, oldest item first. A filter
   * naming a user outside the batch, a modality the model does not have, a `lastItems` that is not
   * an integer >= 1 or a name `RowFilter` does not have is a `SettingError`.
   */
  rows(filter: RowFilter = {}): ContributionRow[] {
    checkRowFilter(filter, ROW_FILTER_SETTINGS, this.modalityNames);
    const { length } = this.batch;
    const rows = filter.user === undefined
      ? this.users.map((_, row) => row)
      : [this.#row(filter.user, "RowFilter.user")];
    const out: ContributionRow[] = [];
    for (const row of rows) {
      const userIndex = this.batch.users[row];
      const first = filter.lastItems === undefined ? 0 : Math.max(0, length - filter.lastItems);
      for (let position = first; position < length; position++) {
        const itemIndex = this.batch.items[row * length + position];
        for (const [modality, name] of this.modalityNames.entries()) {
          if (filter.modality !== undefined && name !== filter.modality) continue;
          const i = this.#flat(row, position, modality);
          if (!this.result.validMask[i]) continue;
          out.push({
            user: this.dataset.userIds[userIndex],
            userIndex,
            recency: length - position,
            item: this.itemName(itemIndex),
            itemIndex,
            modality: name,
            contribution: this.result.contributions[i],
            normalised: this.result.normalised[i],
            noise: this.result.noiseMask[i] > 0,
          });
        }
      }
    }
    return out;
  }

  /**
   * The `k` pairs of a user with the highest normalised contribution (the strongest reasons); all
   * of them when the user has fewer. `k` is an integer >= 1 (a negative one cut the weakest pairs
   * instead). Ties keep the order of {@linkcode rows}: the older item first, then the model's
   * modality order.
   */
  strongest(user: number, k: number, filter: Omit<RowFilter, "user"> = {}): ContributionRow[] {
    this.#row(user, "AttributedHistories.strongest: user");
    checkInteger("AttributedHistories.strongest: k", k, { min: 1 });
    // `user` here would be overridden by the argument without a word.
    checkRowFilter(filter, { modality: true, lastItems: true }, this.modalityNames);
    return this.rows({ ...filter, user }).sort((a, b) => b.normalised - a.normalised).slice(0, k);
  }

  /** Per (user, modality): mean contribution and noise share over the user's items. */
  userModalities(options: { user?: number; truth?: PlantedTruth } = {}): UserModalityRow[] {
    checkSettingNames(
      "AttributedHistories.userModalities options",
      options,
      USER_MODALITIES_SETTINGS,
    );
    const out: UserModalityRow[] = [];
    const rows = options.user === undefined
      ? this.users.map((_, row) => row)
      : [this.#row(options.user, "AttributedHistories.userModalities: user")];
    for (const row of rows) {
      const userIndex = this.batch.users[row];
      for (const [modality, name] of this.modalityNames.entries()) {
        let items = 0;
        let flagged = 0;
        let sum = 0;
        for (let position = 0; position < this.batch.length; position++) {
          const i = this.#flat(row, position, modality);
          if (!this.result.validMask[i]) continue;
          items += 1;
          flagged += this.result.noiseMask[i] > 0 ? 1 : 0;
          sum += this.result.normalised[i];
        }
        if (items === 0) continue;
        const entry: UserModalityRow = {
          user: this.dataset.userIds[userIndex],
          userIndex,
          modality: name,
          items,
          meanNormalised: sum / items,
          noiseShare: flagged / items,
          calledNoise: flagged / items > 0.5,
        };
        const column = options.truth?.modalityNames.indexOf(name) ?? -1;
        if (options.truth && column >= 0) {
          const truth = options.truth;
          const interest = truth.pointsOfInterest[userIndex * truth.modalityNames.length + column];
          entry.planted = interest === 1 ? "point of interest" : "noise";
        }
        out.push(entry);
      }
    }
    return out;
  }

  /** Per modality over the whole batch. */
  byModality(): ModalityRow[] {
    return this.result.aggregateByModality.map((aggregate) => ({
      modality: this.modalityNames[aggregate.modality],
      pairs: aggregate.count,
      meanContribution: aggregate.meanContribution,
      meanNormalised: aggregate.meanNormalised,
      noiseRate: aggregate.noiseRate,
    }));
  }

  /**
   * A contribution heatmap of one user's most recent items (oldest left) by modality; padding and
   * missing modalities are blank. An option out of range is a `SettingError` naming it
   * (`HistoryHeatmapOptions.lastItems`, ...).
   */
  heatmap(user: number, options: HistoryHeatmapOptions = {}): Figure {
    const row = this.#row(user, "AttributedHistories.heatmap: user");
    this.#checkHeatmapOptions(options);
    const { length } = this.batch;
    const shown = Math.min(options.lastItems ?? DEFAULT_HEATMAP_LAST_ITEMS, length);
    const first = length - shown;
    const modalities = this.modalityNames.length;
    const source = options.values ?? this.result.normalised;
    const values: number[] = [];
    const valid: number[] = [];
    for (let position = first; position < length; position++) {
      for (let modality = 0; modality < modalities; modality++) {
        const i = this.#flat(row, position, modality);
        valid.push(this.result.validMask[i]);
        values.push(this.result.validMask[i] ? source[i] : 0);
      }
    }
    const cut = options.labelLength ?? DEFAULT_HEATMAP_LABEL_LENGTH;
    const labels = Array.from({ length: shown }, (_, p) => {
      const position = first + p;
      if (!this.batch.valid[row * length + position]) return "(padding)";
      const name = this.itemName(this.batch.items[row * length + position]);
      return name.length > cut ? `${name.slice(0, cut - 1)}…` : name;
    });
    return contributionHeatmap({
      values,
      valid,
      numPositions: shown,
      modalityNames: [...this.modalityNames],
      positionLabels: labels,
      title: options.title ?? this.#heatmapTitle(user, options.values !== undefined),
      ...(options.colorBarTitle !== undefined ? { colorBarTitle: options.colorBarTitle } : {}),
      scale: options.scale ?? "signed",
    });
  }

  /** The default title of {@linkcode heatmap}: the user, and the method unless `values` are drawn. */
  #heatmapTitle(user: number, ownValues: boolean): string {
    const name = `User ${this.dataset.userIds[user]}`;
    if (ownValues) return name;
    const { method, normalisation } = this.result;
    const normalised = normalisation === "zscore" ? "z-scored" : "ranked";
    return `${name}: ${attributionMethodName(method)}, ${normalised} per user`;
  }

  /** Throws a `SettingError` for the first option of {@linkcode heatmap} out of range. */
  #checkHeatmapOptions(options: HistoryHeatmapOptions): void {
    const name = (field: string) => `HistoryHeatmapOptions.${field}`;
    checkSettingNames("HistoryHeatmapOptions", options, HEATMAP_SETTINGS);
    if (options.lastItems !== undefined) {
      // More than the history holds shows the whole history.
      checkInteger(name("lastItems"), options.lastItems, { min: 1 });
    }
    if (options.labelLength !== undefined) {
      // A cut label keeps labelLength - 1 characters and the ellipsis: at 1 it is the ellipsis alone.
      checkInteger(name("labelLength"), options.labelLength, { min: 2 });
    }
    if (options.values !== undefined) {
      // Read at the flat [batch, position, modality] index: an array of another size is read at the
      // wrong pairs, or past its end.
      const size = this.result.validMask.length;
      const given = (options.values as { length?: unknown } | null)?.length;
      if (given !== size) {
        throw new SettingError(
          `${name("values")}.length`,
          given,
          `${size}, the attribution's [batch, position, modality] size [${this.result.shape}]`,
        );
      }
    }
    if (options.title !== undefined) checkText(name("title"), options.title);
    if (options.colorBarTitle !== undefined) {
      checkText(name("colorBarTitle"), options.colorBarTitle);
    }
    if (options.scale !== undefined) checkOneOf(name("scale"), options.scale, HEATMAP_SCALES);
  }
}

/**
 * Rows of any of the views as a table for `displayTable` (columns: every row's keys, in the order
 * first seen). A field left out or `undefined` (a planted role where the data have no truth) stays
 * missing, so the table prints "–", not "undefined"; booleans print as yes/no there.
 *
 * @example
 * ```ts
 * await displayTable({ caption: "user 1", ...rowsTable(histories.userModalities({ user: 1 })) });
 * ```
 */
export function rowsTable<Row extends object>(rows: readonly Row[]): RowTable {
  if (rows.length === 0) return { columns: [], rows: [] };
  // Every row's keys, in the order first seen: the first row alone dropped a field only later
  // rows carry (userModalities' planted role when the truth lacks the model's first modality).
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return {
    columns,
    rows: rows.map((row) =>
      columns.map((column) => {
        const value = (row as Record<string, unknown>)[column];
        return value === null || value === undefined || typeof value === "number" ||
            typeof value === "string" || typeof value === "boolean"
          ? value
          : String(value);
      })
    ),
  };
}

/**
 * Rows of any of the views as a danfo DataFrame (`print()`, `groupby()`, `describe()`).
 *
 * @example
 * ```ts
 * rowsFrame(histories.rows()).groupby(["modality"]).mean().print();
 * ```
 */
export function rowsFrame<Row extends object>(rows: readonly Row[]): DataFrame {
  return recordsFrame(rows as unknown as Array<Record<string, string | number | boolean>>);
}
