package dev.vitex.core.model;

/** A model card that cannot be used; the message names the card and the offending field. */
public final class ModelCardException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelCardException(String message) {
        super(message);
    }

    public ModelCardException(String message, Throwable cause) {
        super(message, cause);
    }
}
