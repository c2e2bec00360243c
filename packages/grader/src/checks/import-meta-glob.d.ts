// The one vite feature the checks use; vite's own client types would bring in browser globals.
interface ImportMeta {
  glob<Module>(pattern: string, options: { eager: true }): Record<string, Module>;
}
