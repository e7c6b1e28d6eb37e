/**
 * The registered routes as patterns, to tell "no such path" (404) from "no such method on
 * this path" (405, with an Allow header), which fastify's router does not distinguish.
 */
export class RouteTable {
  readonly #routes: Array<{ method: string; pattern: RegExp }> = []

  /** `url` in fastify's syntax: `:param` matches one path segment, a trailing `*` the rest. */
  add(method: string, url: string): void {
    const source = url
      .split('/')
      .map((segment) => {
        if (segment === '*') return '.*'
        if (segment.startsWith(':')) return '[^/]+'
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      })
      .join('/')
    this.#routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`) })
  }

  /** Methods that have a route for this path (without query string), sorted. */
  methodsFor(path: string): string[] {
    const methods = new Set<string>()
    for (const route of this.#routes) if (route.pattern.test(path)) methods.add(route.method)
    return [...methods].sort()
  }
}
