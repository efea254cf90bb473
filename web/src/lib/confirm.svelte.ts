// One confirmation dialog for the whole dashboard (ConfirmDialog.svelte, mounted by the layout):
// `if (await confirmAction({...}))` instead of window.confirm, which cannot be styled, labelled
// for its action or tested the same way in every browser.

export interface ConfirmRequest {
  title: string;
  message: string;
  /** The verb on the confirming button: "Delete", "Remove", "Rotate"; never "OK". */
  confirmLabel: string;
}

interface Pending extends ConfirmRequest {
  resolve: (confirmed: boolean) => void;
}

class ConfirmQueue {
  current = $state<Pending | null>(null);

  ask = (request: ConfirmRequest): Promise<boolean> => {
    // A second question replaces the first, which counts as declined.
    this.current?.resolve(false);
    return new Promise((resolve) => (this.current = { ...request, resolve }));
  };

  answer = (confirmed: boolean) => {
    const pending = this.current;
    this.current = null;
    pending?.resolve(confirmed);
  };
}

export const confirmQueue = new ConfirmQueue();
export const confirmAction = confirmQueue.ask;
