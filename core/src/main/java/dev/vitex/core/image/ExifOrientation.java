package dev.vitex.core.image;

import java.nio.charset.StandardCharsets;

/**
 * Finds the EXIF Orientation tag (0x0112 in IFD0) in encoded bytes without decoding: JPEG APP1
 * "Exif" segments, TIFF files (their own IFD0), PNG {@code eXIf} chunks and WebP {@code EXIF}
 * chunks. Anything malformed or absent reads as {@link Orientation#NORMAL}: a broken tag must not
 * cost the image.
 */
public final class ExifOrientation {
    private static final int TAG_ORIENTATION = 0x0112;

    private ExifOrientation() {}

    public static Orientation read(byte[] b) {
        try {
            return Orientation.ofExif(value(b));
        } catch (RuntimeException e) {
            return Orientation.NORMAL;
        }
    }

    private static int value(byte[] b) {
        if (b.length >= 4 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
            return jpeg(b);
        }
        if (isTiff(b, 0)) {
            return tiff(b, 0);
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return png(b);
        }
        if (b.length >= 12 && ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) {
            return webp(b);
        }
        return 1;
    }

    private static int jpeg(byte[] b) {
        int p = 2;
        while (p + 4 <= b.length && (b[p] & 0xff) == 0xff) {
            int marker = b[p + 1] & 0xff;
            if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0xff) {
                p += marker == 0xff ? 1 : 2; // fill byte or a marker without length
                continue;
            }
            if (marker == 0xda || marker == 0xd9) {
                return 1; // start of scan: metadata is over
            }
            int len = u16(b, p + 2, false);
            if (marker == 0xe1 && ascii(b, p + 4, "Exif") && b[p + 8] == 0 && b[p + 9] == 0) {
                return tiff(b, p + 10);
            }
            p += 2 + len;
        }
        return 1;
    }

    private static int png(byte[] b) {
        int p = 8;
        while (p + 8 <= b.length) {
            int len = (int) u32(b, p, false);
            if (ascii(b, p + 4, "eXIf")) {
                return tiff(b, p + 8);
            }
            if (len < 0 || ascii(b, p + 4, "IEND")) {
                return 1;
            }
            p += 12 + len;
        }
        return 1;
    }

    private static int webp(byte[] b) {
        int p = 12;
        while (p + 8 <= b.length) {
            long len = u32(b, p + 4, true);
            if (ascii(b, p, "EXIF")) {
                int start = p + 8;
                return tiff(b, ascii(b, start, "Exif") ? start + 6 : start);
            }
            p += 8 + (int) (len + (len & 1));
        }
        return 1;
    }

    private static boolean isTiff(byte[] b, int at) {
        return b.length >= at + 8 && ((b[at] == 'I' && b[at + 1] == 'I' && b[at + 2] == 42 && b[at + 3] == 0)
                || (b[at] == 'M' && b[at + 1] == 'M' && b[at + 2] == 0 && b[at + 3] == 42));
    }

    /** IFD0's Orientation in the TIFF structure starting at {@code base}. */
    private static int tiff(byte[] b, int base) {
        if (!isTiff(b, base)) {
            return 1;
        }
        boolean little = b[base] == 'I';
        long ifd = base + u32(b, base + 4, little);
        int n = u16(b, (int) ifd, little);
        for (int i = 0; i < n; i++) {
            int e = (int) ifd + 2 + 12 * i;
            if (u16(b, e, little) == TAG_ORIENTATION) {
                int type = u16(b, e + 2, little);
                return type == 3 ? u16(b, e + 8, little) : type == 4 ? (int) u32(b, e + 8, little) : 1;
            }
        }
        return 1;
    }

    private static boolean ascii(byte[] b, int at, String s) {
        return at + s.length() <= b.length && new String(b, at, s.length(), StandardCharsets.ISO_8859_1).equals(s);
    }

    private static int u16(byte[] b, int at, boolean little) {
        int x = b[at] & 0xff;
        int y = b[at + 1] & 0xff;
        return little ? x | (y << 8) : (x << 8) | y;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, little ? at + 2 : at, little);
        long lo = u16(b, little ? at : at + 2, little);
        return (hi << 16) | lo;
    }
}
