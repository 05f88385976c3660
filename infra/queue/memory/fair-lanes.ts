/**
 * Waiting items kept in one FIFO lane per organization, taken round-robin: the next item comes
 * from the organization served least recently among those under their running cap. An
 * organization that was idle competes with the score of its last service, so a newcomer with one
 * job goes ahead of a tenant with a long backlog.
 */
export class FairLanes<T> {
  private readonly lanes = new Map<string, T[]>();
  private readonly lastServed = new Map<string, number>();
  private readonly runningByOrg = new Map<string, number>();
  private served = 0;

  push(organizationId: string, item: T): void {
    this.lane(organizationId).push(item);
  }

  /** A retried item goes back ahead of its organization's other items. */
  pushFront(organizationId: string, item: T): void {
    this.lane(organizationId).unshift(item);
  }

  /** Takes the next item fairly and counts it as running until finish() is called. */
  take(perOrganizationLimit: number): { organizationId: string; item: T } | undefined {
    let chosen: string | undefined;
    let chosenScore = Infinity;
    for (const [org, lane] of this.lanes) {
      if (lane.length === 0 || this.running(org) >= perOrganizationLimit) continue;
      const score = this.lastServed.get(org) ?? 0;
      if (score < chosenScore) {
        chosen = org;
        chosenScore = score;
      }
    }
    if (chosen === undefined) return undefined;
    const lane = this.lanes.get(chosen) as T[];
    const item = lane.shift() as T;
    if (lane.length === 0) this.lanes.delete(chosen);
    this.lastServed.set(chosen, ++this.served);
    this.runningByOrg.set(chosen, this.running(chosen) + 1);
    return { organizationId: chosen, item };
  }

  finish(organizationId: string): void {
    const n = this.running(organizationId) - 1;
    if (n > 0) this.runningByOrg.set(organizationId, n);
    else this.runningByOrg.delete(organizationId);
  }

  /** Removes a waiting item; false when it is not waiting. */
  remove(organizationId: string, item: T): boolean {
    const lane = this.lanes.get(organizationId);
    const at = lane ? lane.indexOf(item) : -1;
    if (!lane || at < 0) return false;
    lane.splice(at, 1);
    if (lane.length === 0) this.lanes.delete(organizationId);
    return true;
  }

  running(organizationId: string): number {
    return this.runningByOrg.get(organizationId) ?? 0;
  }

  private lane(organizationId: string): T[] {
    let lane = this.lanes.get(organizationId);
    if (!lane) {
      lane = [];
      this.lanes.set(organizationId, lane);
    }
    return lane;
  }
}
