package dev.firebreak.contract;

/**
 * What a chat platform can and cannot do, stated so the contract can say so instead of skipping.
 *
 * @param pinsMessages             pinned messages are visible on the platform (a terminal has no pins)
 * @param keepsReactionsWhileDown  people can react while Firebreak is stopped and the platform remembers it
 *                                 (a terminal only takes input while Firebreak runs)
 * @param freeFormCommandLines     any text can be sent as a command; on Discord the client only sends
 *                                 registered subcommands, so an unknown subcommand never reaches Firebreak
 * @param reactionsNameTheirChannel a reaction event names its channel and message id separately, so an event can
 *                                 name a message id in the wrong channel (a terminal finds the channel from the
 *                                 message ref itself)
 */
record Capabilities(boolean pinsMessages, boolean keepsReactionsWhileDown, boolean freeFormCommandLines,
                    boolean reactionsNameTheirChannel) {}
