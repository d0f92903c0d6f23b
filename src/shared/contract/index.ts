/**
 * The one contract between the engine (main), the preload bridge, the browser-preview bridge
 * and the renderer. Channel names, request/response types and pushed events are declared once,
 * one file per capability, and re-exported here; every side derives its types from these.
 * Imports run one way: common <- capabilities <- sockets <- events, channels.
 */
export * from './common'
export * from './tcp'
export * from './udp'
export * from './backlog'
export * from './sockets'
export * from './inspector'
export * from './checker'
export * from './capture'
export * from './dns'
export * from './events'
export * from './channels'
