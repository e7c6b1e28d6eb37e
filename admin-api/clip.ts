/** Shortens client-supplied text before it goes into a message, so a 1 MB field name cannot bloat a reply or a log line. */
export function clip(text: string, max = 200): string {
  if (text.length <= max) return text
  const head = text.slice(0, max)
  // Cutting between the halves of a surrogate pair would leave invalid UTF-16 in the JSON reply.
  const whole = /[\ud800-\udbff]$/.test(head) ? head.slice(0, -1) : head
  return `${whole}… (${text.length} characters)`
}
