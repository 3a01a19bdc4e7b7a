/** Prometheus duration syntax (2.42): units in descending order, each at most once, e.g. "1h30m". */
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_SECONDS = [365 * 86_400, 7 * 86_400, 86_400, 3_600, 60, 1, 0.001] as const;

export function isDuration(text: string): boolean {
  return text !== '' && DURATION.test(text);
}

/** Seconds in a Prometheus duration; throws on anything else. */
export function durationSeconds(text: string): number {
  const match = DURATION.exec(text);
  if (text === '' || match === null) throw new Error(`not a Prometheus duration: ${JSON.stringify(text)}`);
  let seconds = 0;
  UNIT_SECONDS.forEach((unit, index) => {
    const amount = match[index + 1];
    if (amount !== undefined) seconds += Number(amount) * unit;
  });
  return seconds;
}
