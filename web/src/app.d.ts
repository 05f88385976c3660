// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {}
}

// gridstack reads a widget's place from these attributes when it adopts the element.
declare module 'svelte/elements' {
  interface HTMLAttributes<T> {
    'gs-id'?: string;
    'gs-x'?: number;
    'gs-y'?: number;
    'gs-w'?: number;
    'gs-h'?: number;
  }
}

export {};
