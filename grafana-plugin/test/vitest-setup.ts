import '@testing-library/jest-dom/vitest';

// jsdom lacks what @grafana/ui components measure and draw with.
if (typeof window !== 'undefined') {
  class NoopResizeObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  Object.assign(window, { ResizeObserver: window.ResizeObserver ?? NoopResizeObserver });
  // Scenes' lazy loader creates one when its module loads; nothing here scrolls into view.
  class NoopIntersectionObserver {
    readonly root = null;
    readonly rootMargin = '';
    readonly thresholds: readonly number[] = [];
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
    takeRecords(): [] {
      return [];
    }
  }
  Object.assign(window, { IntersectionObserver: window.IntersectionObserver ?? NoopIntersectionObserver });
  // No canvas in jsdom: BigValue and BarGauge only measure text with it, so give them a 2D
  // context that measures 7px per character. Charts are drawn for real in the browser test.
  Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', {
    writable: true,
    value: () => ({ font: '', measureText: (text: string) => ({ width: text.length * 7 }) }),
  });
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }),
  });
}

// Testing Library unmounts between tests only when it can see the test runner's afterEach.
if (typeof window !== 'undefined') {
  const { afterEach } = await import('vitest');
  const { cleanup } = await import('@testing-library/react');
  afterEach(() => cleanup());
}
