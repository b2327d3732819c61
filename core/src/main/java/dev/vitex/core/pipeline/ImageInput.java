package dev.vitex.core.pipeline;

import dev.vitex.core.image.DecodedImage;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One image of a group: its id, its label (null when it has none), and its pixels as encoded
 * bytes or as a decoded image. {@code contentKey} is the image's content hash (sha256 hex of the
 * bytes): seeds derive from it, so results do not depend on partitioning. An input the caller
 * could not read carries its {@code readError} instead of pixels.
 */
public record ImageInput(String id, String label, byte[] bytes, DecodedImage decoded, String contentKey,
                         ReadError readError) {

    /** Why the caller could not read an image (stage {@code read}). */
    public record ReadError(String errorClass, String message) {}

    public ImageInput {
        if (id == null) {
            throw new IllegalArgumentException("an image needs an id");
        }
        int given = (bytes != null ? 1 : 0) + (decoded != null ? 1 : 0) + (readError != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("image " + id + ": give exactly one of bytes, a decoded image or a read error");
        }
        if (decoded != null && contentKey == null) {
            throw new IllegalArgumentException("image " + id + ": a decoded image needs a content key");
        }
    }

    /** An encoded image (PNG, JPEG, …); its key is the sha256 of the bytes. */
    public static ImageInput encoded(String id, String label, byte[] bytes) {
        return new ImageInput(id, label, bytes, null, sha256(bytes), null);
    }

    /** A decoded image with the content key the caller chose (e.g. the sha256 of its source file). */
    public static ImageInput decoded(String id, String label, DecodedImage image, String contentKey) {
        return new ImageInput(id, label, null, image, contentKey, null);
    }

    /** An image the caller could not read: it becomes an error of stage {@code read}. */
    public static ImageInput unreadable(String id, String label, String errorClass, String message) {
        return new ImageInput(id, label, null, null, null, new ReadError(errorClass, message));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
