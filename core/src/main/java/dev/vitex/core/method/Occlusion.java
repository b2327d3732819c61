package dev.vitex.core.method;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.image.ResampleFilter;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.perturb.MaskPlan;
import dev.vitex.core.perturb.SeedSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Occlusion (Zeiler & Fergus 2014): the reference (nothing removed), then one removal at a time;
 * {@code A_j = f_c(x) − f_c(x with j removed)}. One cell at a time by default; with {@code window}
 * and {@code stride} (pixels, and always at PIXEL granularity) sliding windows, each pixel getting
 * the mean over the windows that cover it.
 */
public final class Occlusion extends MaskExplainer {
    public static final String NAME = "occlusion";
    private final Integer window;
    private final Integer stride;
    private final int patchSize;

    public Occlusion(ParamReader params, ModelCard card) {
        super(NAME, params, card);
        int side = Math.min(card.inputHeight(), card.inputWidth());
        this.window = params.optionalInteger("window", 1, side);
        this.stride = params.optionalInteger("stride", 1, side);
        if (stride != null && window == null) {
            throw params.error("stride", "needs window as well (--param occlusion.window=PIXELS)");
        }
        this.patchSize = card.patchSize();
        params.finish();
    }

    @Override
    protected UnitGrid grid(ExplainContext context) {
        if (window != null && context.granularity() == Granularity.PATCH) {
            return UnitGrid.patches(cellSize(), context.inputHeight(), context.inputWidth());
        }
        return super.grid(context);
    }

    /** Any cell size serves pixel granularity: sliding windows make true pixel maps. */
    @Override
    public void validate(Granularity granularity) {}

    @Override
    protected UnitGrid pixelGrid(ExplainContext context) {
        return UnitGrid.pixels(context.inputHeight(), context.inputWidth()); // sliding windows make true pixel maps
    }

    @Override
    protected MaskPlan plan(ExplainContext context, UnitGrid grid, SeedSequence seeds) {
        boolean sliding = window != null || (grid.granularity() == Granularity.PIXEL && cellSize() != 1);
        if (!sliding) {
            return new CellPlan(grid.rows(), grid.cols());
        }
        int win = window != null ? window : patchSize;
        int step = stride != null ? stride : Math.max(1, win / 2);
        return new WindowPlan(context.inputHeight(), context.inputWidth(), win, step, grid);
    }

    @Override
    protected void describe(CanonicalParams params) {
        if (window != null) {
            params.put("window", window).put("stride", stride != null ? stride : Math.max(1, window / 2));
        }
    }

    /** Mask 0 removes nothing; mask j + 1 removes cell j. */
    private record CellPlan(int maskRows, int maskCols) implements MaskPlan {
        @Override
        public int count() {
            return units() + 1;
        }

        @Override
        public void fill(int i, float[] mask) {
            if (i > 0) {
                mask[i - 1] = 1f;
            }
        }

        @Override
        public MaskResult aggregate(float[] scores) {
            float[] a = new float[units()];
            for (int j = 0; j < a.length; j++) {
                a[j] = scores[0] - scores[j + 1];
            }
            return new MaskResult(a, scores[0], null);
        }
    }

    /** Mask 0 removes nothing; the others each remove one window; pixels average their windows. */
    private static final class WindowPlan implements MaskPlan {
        private final int height;
        private final int width;
        private final int window;
        private final List<int[]> corners = new ArrayList<>();
        private final UnitGrid grid;

        WindowPlan(int height, int width, int window, int stride, UnitGrid grid) {
            this.height = height;
            this.width = width;
            this.window = window;
            this.grid = grid;
            for (int y : positions(height, window, stride)) {
                for (int x : positions(width, window, stride)) {
                    corners.add(new int[] {y, x});
                }
            }
        }

        /** Window starts every {@code stride}, plus one flush with the far edge so every pixel is covered. */
        private static List<Integer> positions(int size, int window, int stride) {
            List<Integer> p = new ArrayList<>();
            int last = Math.max(0, size - window);
            for (int s = 0; s <= last; s += stride) {
                p.add(s);
            }
            if (p.get(p.size() - 1) != last) {
                p.add(last);
            }
            return p;
        }

        @Override
        public int count() {
            return corners.size() + 1;
        }

        @Override
        public int maskRows() {
            return height;
        }

        @Override
        public int maskCols() {
            return width;
        }

        @Override
        public void fill(int i, float[] mask) {
            if (i == 0) {
                return;
            }
            int[] c = corners.get(i - 1);
            for (int y = c[0]; y < Math.min(height, c[0] + window); y++) {
                Arrays.fill(mask, y * width + c[1], y * width + Math.min(width, c[1] + window), 1f);
            }
        }

        @Override
        public MaskResult aggregate(float[] scores) {
            double[] sum = new double[height * width];
            int[] covered = new int[height * width];
            for (int k = 0; k < corners.size(); k++) {
                int[] c = corners.get(k);
                double drop = scores[0] - scores[k + 1];
                for (int y = c[0]; y < Math.min(height, c[0] + window); y++) {
                    for (int x = c[1]; x < Math.min(width, c[1] + window); x++) {
                        sum[y * width + x] += drop;
                        covered[y * width + x]++;
                    }
                }
            }
            float[] pixels = new float[sum.length];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) (sum[i] / covered[i]);
            }
            return new MaskResult(grid.fromPixels(pixels, ResampleFilter.AREA), scores[0], null);
        }
    }
}
