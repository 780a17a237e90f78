/** Span attribute and span names MGov uses, in one place. Payloads stay off spans. */
export const Attr = {
  service: 'mgov.service',
  commandType: 'mgov.command.type',
  eventType: 'mgov.event.type',
  streamId: 'mgov.stream.id',
  topic: 'messaging.destination.name',
  messagingSystem: 'messaging.system',
} as const;

export const SpanName = {
  command: (type: string) => `command ${type}`,
  consume: (topic: string) => `consume ${topic}`,
  http: (method: string, route: string) => `${method} ${route}`,
} as const;
