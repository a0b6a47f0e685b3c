package dev.firebreak.kernel;

/**
 * Input from chat that cannot be acted on. The message says what was wrong and how to fix it;
 * it is shown to the person as is, so it never carries secrets or stack traces.
 */
public class InvalidInput extends RuntimeException {

    public InvalidInput(String message) {
        super(message);
    }
}
