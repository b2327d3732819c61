package dev.vitex.core.image;

/**
 * One image that cannot be used (the job turns it into an error row, it never fails the job).
 * {@code stage} is the error table's stage: decode or preprocess.
 */
public final class ImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String stage;

    public ImageException(String stage, String message) {
        super(message);
        this.stage = stage;
    }

    public ImageException(String stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    public String stage() {
        return stage;
    }
}
