/**
 * A new limit below what the account already owes and has on order leaves it over its
 * limit at once (its next orders go on hold): the rep is told and must confirm it.
 */
export function cutsBelowExposure(change: { currentMinor: number; proposedMinor: number; exposureMinor: number }): boolean {
  return change.proposedMinor < change.currentMinor && change.proposedMinor < change.exposureMinor;
}
