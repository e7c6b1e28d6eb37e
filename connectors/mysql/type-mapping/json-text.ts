/**
 * MySQL prints JSON with a space after `:` and `,` (`{"a": 1, "b": [1, 2]}`); the binlog's
 * binary JSON prints compactly. Dropping whitespace outside strings makes snapshot text
 * match the streamed text for the common cases (doubles may still print differently).
 */
export function compactJsonText(text: string): string {
  let result = ''
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index)
    if (inString) {
      result += char
      if (char === '\\') {
        result += text.charAt(index + 1)
        index++
      } else if (char === '"') {
        inString = false
      }
    } else if (char === '"') {
      inString = true
      result += char
    } else if (!/\s/.test(char)) {
      result += char
    }
  }
  return result
}
