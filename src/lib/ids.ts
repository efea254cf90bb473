/** Ids are random UUIDs: unguessable, so a leaked id reveals nothing about neighbours. */
export const newId = () => crypto.randomUUID();
