/** Durations as a reader says them: "4 min 12 s", "about 9 more minutes". Pure. */

/** A clock duration: "45 s", "4 min 12 s", "5 min", "1 h 5 min". */
export function clockText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return `${Math.floor(s / 60)} min${rest > 0 ? ` ${rest} s` : ''}`;
  }
  const minutes = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes > 0 ? ` ${minutes} min` : ''}`;
}

/** A rough amount of time with a word before the unit: "9 more minutes", "40 more seconds". */
export function roughTime(seconds: number, word: string): string {
  const s = Math.max(0, seconds);
  const unit = (n: number, name: string) => `${n} ${word} ${name}${n === 1 ? '' : 's'}`;
  if (s < 90) return unit(Math.max(1, Math.round(s)), 'second');
  if (s < 90 * 60) return unit(Math.round(s / 60), 'minute');
  return unit(Math.round(s / 3600), 'hour');
}
