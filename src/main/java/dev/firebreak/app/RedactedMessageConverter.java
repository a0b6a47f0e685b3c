package dev.firebreak.app;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.firebreak.kernel.OutboundText;
import dev.firebreak.kernel.Redactor;

/**
 * {@code %msg} for Firebreak's log (see {@code logback.xml}): every secret masked by the
 * {@link Redactor} and control characters (ANSI escapes, BEL, bidi overrides) removed, whoever
 * logged the line, a library included.
 */
public final class RedactedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return OutboundText.withoutControlCharacters(Redactor.redact(super.convert(event)));
    }
}
