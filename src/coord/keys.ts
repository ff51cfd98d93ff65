/** Every Redis key the bot uses, built in one place under one prefix. */
export function makeKeys(prefix = 'llw') {
  return {
    conversationLock: (conversation: string) => `${prefix}:lock:conv:${conversation}`,
    lock: (name: string) => `${prefix}:lock:${name}`,
    botState: (key: string) => `${prefix}:state:${key}`,
    rate: (name: string) => `${prefix}:rate:${name}`,
  };
}
export type Keys = ReturnType<typeof makeKeys>;
