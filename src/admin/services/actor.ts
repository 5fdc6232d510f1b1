// Who performs an admin change: a machine client of the API or an admin signed in to the console; audit events name them.

export type Actor = { kind: 'client'; id: string } | { kind: 'user'; id: string };

export const clientActor = (id: string): Actor => ({ kind: 'client', id });
export const userActor = (id: string): Actor => ({ kind: 'user', id });

/** `client:<id>` or `user:<id>`, cut to the audit column's 64 characters. */
export const actorName = (actor: Actor): string => `${actor.kind}:${actor.id}`.slice(0, 64);
