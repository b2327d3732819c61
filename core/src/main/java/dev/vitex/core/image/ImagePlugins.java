package dev.vitex.core.image;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * The image readers, registered explicitly: TwelveMonkeys JPEG (CMYK/YCCK/Adobe, ICC profiles,
 * broken ICC profiles), TIFF (incl. 16-bit) and WebP (lossy and lossless) first, then the JDK's own
 * readers (PNG, BMP, GIF). Registering by code rather than through {@code META-INF/services} means
 * a shaded job jar or an executor's class loader cannot lose them, and the TwelveMonkeys JPEG
 * reader always wins over the JDK's (which refuses CMYK).
 */
final class ImagePlugins {
    private static List<ImageReaderSpi> preferred;

    private ImagePlugins() {}

    private static synchronized List<ImageReaderSpi> preferred() {
        if (preferred == null) {
            ImageIO.setUseCache(false); // no temp files from executors
            IIORegistry registry = IIORegistry.getDefaultInstance();
            List<ImageReaderSpi> spis = new ArrayList<>();
            for (ImageReaderSpi spi : List.of(new JPEGImageReaderSpi(), new TIFFImageReaderSpi(), new WebPImageReaderSpi())) {
                registry.registerServiceProvider(spi, ImageReaderSpi.class); // onRegistration finds the JDK delegate
                spis.add(registry.getServiceProviderByClass(spi.getClass()));
            }
            // the JDK's PNG reader next (its signature is unique): ImageIO's look-up of the remaining readers
            // asks every registered reader in turn, per image
            Iterator<ImageReader> png = ImageIO.getImageReadersByFormatName("png");
            if (png.hasNext()) {
                spis.add(1, png.next().getOriginatingProvider());
            }
            preferred = List.copyOf(spis);
        }
        return preferred;
    }

    /** A reader for the stream (positioned at its start), or null when no reader recognises it. */
    static ImageReader readerFor(ImageInputStream in) throws IOException {
        for (ImageReaderSpi spi : preferred()) {
            if (spi.canDecodeInput(in)) {
                return spi.createReaderInstance();
            }
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        return readers.hasNext() ? readers.next() : null;
    }
}
