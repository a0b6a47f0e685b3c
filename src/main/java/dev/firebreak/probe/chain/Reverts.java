package dev.firebreak.probe.chain;

import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthCall;

/** The revert reason of a failed call, as the node reports it (e.g. "execution reverted: already paused"). */
final class Reverts {
    private Reverts() {}

    /** The reason when the call reverted, else null. */
    static String reason(EthCall call) {
        if (call.hasError()) return reason(call.getError());
        if (call.isReverted()) return call.getRevertReason() == null ? "reverted without a reason" : call.getRevertReason();
        return null;
    }

    static String reason(Response.Error error) {
        String message = error.getMessage() == null ? "reverted" : error.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
