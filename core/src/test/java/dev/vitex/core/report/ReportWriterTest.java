package dev.vitex.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class ReportWriterTest {

    /** Parses the page as XML: any unclosed tag, bad attribute or undefined entity fails here. */
    static Document parse(Path index) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        f.setValidating(false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        return b.parse(new InputSource(new StringReader(Files.readString(index))));
    }

    static List<String> attributes(Document doc, String attribute) {
        List<String> values = new ArrayList<>();
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.hasAttribute(attribute)) {
                values.add(e.getAttribute(attribute));
            }
        }
        return values;
    }

    @Test
    void pageIsWellFormedAndEveryLinkResolvesToAPngInsideTheReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report");
        Path index = SampleReport.write(report, 5, ReportOptions.defaults());
        assertEquals(report.resolve("index.html"), index);
        Document doc = parse(index);
        assertEquals("html", doc.getDocumentElement().getTagName());

        List<String> links = new ArrayList<>(attributes(doc, "href"));
        links.addAll(attributes(doc, "src"));
        assertFalse(links.isEmpty());
        Path root = report.toAbsolutePath().normalize();
        Set<Path> linked = new HashSet<>();
        for (String link : links) {
            assertFalse(link.contains(":") || link.startsWith("/") || link.contains("\\"), "link is relative and plain: " + link);
            Path target = root.resolve(link).normalize();
            assertTrue(target.startsWith(root.resolve("img")), link + " stays inside report/img");
            assertTrue(Files.isRegularFile(target), link + " exists");
            assertNotNull(ImageIO.read(target.toFile()), link + " is a readable image");
            linked.add(target);
        }
        // Nothing unlinked is left in img/: 5 originals + 3 methods × 5 images + 3 for the second target − 1 missing.
        try (Stream<Path> files = Files.walk(root.resolve("img"))) {
            List<Path> pngs = files.filter(Files::isRegularFile).toList();
            assertEquals(linked.size(), pngs.size());
            assertEquals(5 + 15 + 3 - 1, pngs.size());
        }
    }

    @Test
    void pageIsSelfContained(@TempDir Path dir) throws Exception {
        Path index = SampleReport.write(dir, 3, ReportOptions.defaults());
        Document doc = parse(index);
        String html = Files.readString(index);
        assertEquals(0, doc.getElementsByTagName("script").getLength(), "no scripts");
        assertEquals(0, doc.getElementsByTagName("link").getLength(), "no external style sheets or fonts");
        assertEquals(0, doc.getElementsByTagName("iframe").getLength());
        assertFalse(html.contains("@import") || html.contains("url("), "no CSS imports or remote resources");
        assertFalse(html.replace("xmlns=\"http://www.w3.org/1999/xhtml\"", "").contains("http"), "no network references");
        assertEquals(1, doc.getElementsByTagName("style").getLength(), "inline CSS");
    }

    @Test
    void dataIsEscapedNeverInterpreted(@TempDir Path dir) throws Exception {
        Path index = SampleReport.write(dir, 3, ReportOptions.defaults());
        String html = Files.readString(index);
        Document doc = parse(index);
        assertFalse(html.contains("<script>"), "an image id with markup is shown as text");
        assertFalse(html.contains("<b>out of memory</b>"), "error messages are text");
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains(SampleReport.NASTY_ID), "the id is shown as it is");
        assertTrue(text.contains("model failed: <b>out of memory</b> & retries exhausted"));
        // The nasty id's files are in a plain folder under img/.
        for (String src : attributes(doc, "src")) {
            assertTrue(src.matches("img/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+\\.png"), src);
        }
    }

    @Test
    void headerSaysRunModelMethodsCountsAndErrors(@TempDir Path dir) throws Exception {
        Path index = SampleReport.write(dir, 4, ReportOptions.defaults());
        String text = parse(index).getDocumentElement().getTextContent().replaceAll("\\s+", " ");
        assertTrue(text.contains("run-2024-06-01T12:00:00Z-7f3a"), "run id");
        assertTrue(text.contains("vit-shapes-tiny"), "model");
        assertTrue(text.contains("saliency, integrated_gradients, occlusion"), "methods");
        assertTrue(text.contains("6 images read"), "counts: " + text);
        assertTrue(text.contains("2 images failed"));
        assertTrue(text.contains("Errors (2)"));
        assertTrue(text.contains("broken/truncated.png") && text.contains("decode")
                && text.contains("Unexpected end of ZLIB input stream"), "error with its reason");
        assertTrue(text.contains("Showing all 4 images."));
        assertTrue(text.contains("deletion 0.14") && text.contains("insertion 0.79"), "AUCs when present: " + text);
    }

    @Test
    void oneRowPerTargetAndOneColumnPerMethod(@TempDir Path dir) throws Exception {
        Document doc = parse(SampleReport.write(dir, 4, ReportOptions.defaults()));
        Element images = null;
        NodeList tables = doc.getElementsByTagName("table");
        for (int i = 0; i < tables.getLength(); i++) {
            if (((Element) tables.item(i)).getAttribute("class").equals("images")) {
                images = (Element) tables.item(i);
            }
        }
        assertNotNull(images, "the images table");
        NodeList heads = ((Element) images.getElementsByTagName("thead").item(0)).getElementsByTagName("th");
        assertEquals(2 + SampleReport.METHODS.size(), heads.getLength());
        assertEquals("occlusion", heads.item(4).getTextContent());
        NodeList bodies = doc.getElementsByTagName("tbody");
        List<Element> imageBodies = new ArrayList<>();
        for (int i = 0; i < bodies.getLength(); i++) {
            Element b = (Element) bodies.item(i);
            if (b.getElementsByTagName("th").getLength() > 0 && ((Element) b.getParentNode()).getAttribute("class").equals("images")) {
                imageBodies.add(b);
            }
        }
        assertEquals(4, imageBodies.size(), "one tbody per image");
        // Images are sorted by id: "../evil/…" < "disk/img_00.png" (two targets) < "disk/img_02.png" < "square/img_03.png".
        Element twoTargets = imageBodies.get(1);
        assertTrue(twoTargets.getTextContent().contains("disk/img_00.png"));
        assertEquals(2, twoTargets.getElementsByTagName("tr").getLength(), "two targets, two rows");
        Element second = (Element) twoTargets.getElementsByTagName("tr").item(1);
        assertTrue(second.getTextContent().contains("triangle") && second.getTextContent().contains("not the predicted class"));
        assertEquals(SampleReport.METHODS.size(), count(second, "td", "map"));
        Element missing = imageBodies.get(3);
        assertTrue(missing.getTextContent().contains("no result"), "a missing method is marked, not dropped");
    }

    private static int count(Element parent, String tag, String cssClass) {
        NodeList l = parent.getElementsByTagName(tag);
        int n = 0;
        for (int i = 0; i < l.getLength(); i++) {
            if (((Element) l.item(i)).getAttribute("class").equals(cssClass)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void largeRunsShowABoundedDeterministicSampleAndSaySo(@TempDir Path dir) throws Exception {
        List<ReportImage> images = SampleReport.images(7);
        ReportOptions three = ReportOptions.builder().maxImages(3).build();
        Path index = new ReportWriter(three).write(dir, SampleReport.summary(1000), images);
        String text = parse(index).getDocumentElement().getTextContent().replaceAll("\\s+", " ");
        assertTrue(text.contains("Showing 3 of 1000 images"), text);
        assertTrue(text.contains("the Parquet output has everything"));
        try (Stream<Path> dirs = Files.list(dir.resolve("img"))) {
            assertEquals(3, dirs.count());
        }
        List<String> expected = images.stream().map(ReportImage::imageId)
                .sorted(Comparator.comparing(FileNames::sha256)).limit(3).sorted().toList();
        List<ReportImage> reversed = new ArrayList<>(images);
        java.util.Collections.reverse(reversed);
        assertEquals(expected, ReportWriter.sample(reversed, 3).stream().map(ReportImage::imageId).toList(),
                "the sample depends on the ids, not their order");
    }

    @Test
    void rewritingRemovesPngsOfTheEarlierReport(@TempDir Path dir) throws Exception {
        SampleReport.write(dir, 5, ReportOptions.defaults());
        Path stray = dir.resolve("img/notes.txt");
        Files.writeString(stray, "mine");
        SampleReport.write(dir, 2, ReportOptions.defaults());
        try (Stream<Path> files = Files.walk(dir.resolve("img"))) {
            // Image 0 (two targets): original + 6 maps; image 1: original + 3 maps.
            assertEquals(7 + 4, files.filter(p -> p.toString().endsWith(".png")).count());
        }
        assertTrue(Files.exists(stray), "only PNGs are removed");
    }

    @Test
    void duplicateImageIdsAreRejected(@TempDir Path dir) {
        List<ReportImage> images = new ArrayList<>(SampleReport.images(2));
        images.add(images.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReportWriter().write(dir, SampleReport.summary(3), images));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
    }

    @Test
    void aRunWithoutImagesStillMakesAPage(@TempDir Path dir) throws Exception {
        RunSummary summary = RunSummary.of("r", "m", SampleReport.METHODS, null, 0,
                List.of(new ReportError("a.png", "read", null, "file vanished")));
        Document doc = parse(new ReportWriter().write(dir, summary, List.of()));
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("No image has attributions") && text.contains("file vanished"), text);
    }

    @Test
    void manyErrorsAreListedUpToTheLimit(@TempDir Path dir) throws Exception {
        List<ReportError> errors = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            errors.add(new ReportError("bad/" + i + ".png", "decode", null, "not a recognised image format"));
        }
        RunSummary summary = new RunSummary("r", "m", SampleReport.METHODS, null, 1, errors, 5000);
        Path index = new ReportWriter(ReportOptions.builder().maxErrors(10).build()).write(dir, summary, SampleReport.images(1));
        Document doc = parse(index);
        String text = doc.getDocumentElement().getTextContent().replaceAll("\\s+", " ");
        assertTrue(text.contains("Errors (5000)") && text.contains("Listing 10 of 5000"), text);
        Element table = (Element) doc.getElementsByTagName("table").item(0);
        assertEquals("errtable", table.getAttribute("class"));
        assertEquals(1 + 10, table.getElementsByTagName("tr").getLength());
    }
}
