/**
 * Label names as Steward stores them. Gerrit 2.1–2.5 era servers (and their SSH exports) name the
 * standard labels by four-letter category ids; everything after that uses the label's own name.
 */
import type { LabelName } from '../../model/records.js';

const LEGACY_LABELS: ReadonlyMap<string, LabelName> = new Map([
  ['CRVW', 'Code-Review'],
  ['VRIF', 'Verified'],
  ['APRV', 'Approved'],
]);

/**
 * The canonical name of a label: CRVW → Code-Review, VRIF → Verified, APRV → Approved; any other
 * name is returned unchanged (label names are case-sensitive in Gerrit).
 *
 * @example canonicalLabel('CRVW') // 'Code-Review'
 * @example canonicalLabel('Workflow') // 'Workflow'
 */
export function canonicalLabel(name: string): LabelName {
  return LEGACY_LABELS.get(name) ?? name;
}
