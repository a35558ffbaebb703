/** Text cut to `max` characters with an ellipsis, for summaries that quote user input. */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
