package dev.firebreak.app;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.firebreak.kernel.OutboundText;
import dev.firebreak.kernel.Redactor;

/** Stack traces in Firebreak's log with secrets masked: an exception's message may quote a URL or a response. */
public final class RedactedThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return OutboundText.withoutControlCharacters(Redactor.redact(super.throwableProxyToString(proxy)));
    }
}
