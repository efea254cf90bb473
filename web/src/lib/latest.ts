// A list whose filters change while its requests are in flight must show the answer to the last
// request, not to whichever arrived last: responses can come back in any order. Each request asks
// for a check when it starts and applies its answer only while the check holds.

export class Latest {
  #generation = 0;

  /** A request that replaces every earlier one (the filters changed): earlier answers are dropped. */
  replace(): () => boolean {
    const generation = ++this.#generation;
    return () => generation === this.#generation;
  }

  /** A request that adds to the current one (the next page, a refresh): wanted until it is replaced. */
  extend(): () => boolean {
    const generation = this.#generation;
    return () => generation === this.#generation;
  }
}
