package dev.vitex.core.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitex.core.TestData;
import dev.vitex.core.image.DecodedImage;
import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.image.PreprocessedImage;
import dev.vitex.core.image.Preprocessor;
import dev.vitex.core.model.ModelCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitGridTest {

    @Test
    void unitsTileTheInputExactly() {
        for (UnitGrid grid : List.of(UnitGrid.patches(8, 64, 64), UnitGrid.patches(4, 32, 48), UnitGrid.pixels(6, 10))) {
            int[] covered = new int[grid.inputHeight() * grid.inputWidth()];
            List<Unit> units = grid.units(ImageGeometry.identity(grid.inputWidth(), grid.inputHeight()));
            assertEquals(grid.rows() * grid.cols(), units.size());
            for (int i = 0; i < units.size(); i++) {
                Unit u = units.get(i);
                assertEquals(i, u.row() * grid.cols() + u.col(), "row-major order");
                for (int y = u.y0(); y < u.y1(); y++) {
                    for (int x = u.x0(); x < u.x1(); x++) {
                        covered[y * grid.inputWidth() + x]++;
                    }
                }
            }
            for (int c : covered) {
                assertEquals(1, c, "every pixel in exactly one unit");
            }
        }
    }

    @Test
    void cellSizeMustDivideInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnitGrid.patches(7, 64, 64));
        assertEquals(true, e.getMessage().contains("cell_size 7"), e.getMessage());
    }

    /**
     * A 200×100 (w×h) image, center crop to 64×64: the shorter side (100) becomes 64, so the image
     * is resized to 128×64 and columns 32..96 are kept. Unit (0, 0) of 8-px patches covers original
     * x ∈ [50, 62.5), y ∈ [0, 12.5); the last unit ends at x = 150, y = 100.
     */
    @Test
    void originalBoxesFollowResizeAndCenterCrop(@TempDir Path dir) throws IOException {
        Path src = TestData.resource("hf-exported/vit-tiny-32px/vit-tiny-32px.pt");
        Files.copy(src, dir.resolve("m.pt"));
        Files.writeString(dir.resolve("m.json"), """
                {"name": "m", "format": "torchscript", "file": "m.pt", "input_size": [64, 64], "patch_size": 8,
                 "channels": 3, "rescale": 0.00392156862745098, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5],
                 "resize": "bilinear", "crop": "center", "output": "tensor", "labels": ["a", "b", "c"]}""");
        ModelCard card = ModelCard.load(dir.resolve("m.json"));
        PreprocessedImage image = new Preprocessor(card).preprocess(new DecodedImage(200, 100, new float[3 * 200 * 100]));
        ImageGeometry g = image.geometry();
        assertEquals(new ImageGeometry(200, 100, 128, 64, 0, 32), g);
        List<Unit> units = UnitGrid.patches(8, 64, 64).units(g);
        Unit first = units.get(0);
        assertEquals(50f, first.ox0(), 1e-4);
        assertEquals(62.5f, first.ox1(), 1e-4);
        assertEquals(0f, first.oy0(), 1e-4);
        assertEquals(12.5f, first.oy1(), 1e-4);
        Unit last = units.get(units.size() - 1);
        assertEquals(150f, last.ox1(), 1e-4);
        assertEquals(100f, last.oy1(), 1e-4);
        // A tall image: 60 wide × 180 high → resized to 64×192, rows 64..128 kept.
        ImageGeometry tall = new Preprocessor(card).preprocess(new DecodedImage(60, 180, new float[3 * 60 * 180])).geometry();
        assertEquals(new ImageGeometry(60, 180, 64, 192, 64, 0), tall);
        Unit u = UnitGrid.patches(8, 64, 64).units(tall).get(9); // row 1, col 1
        assertEquals(60.0 * 8 / 64, u.ox0(), 1e-4);
        assertEquals((64 + 8) * 180.0 / 192, u.oy0(), 1e-4);
    }
}
