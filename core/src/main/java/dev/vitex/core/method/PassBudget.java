package dev.vitex.core.method;

import dev.vitex.core.model.ModelCard;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

/**
 * The per-image cost guard of the sampling mask methods (Lime, KernelShap, Sobol): parameter
 * {@code max_passes_per_image}, and the cell size to suggest when a grid is too fine for it. At
 * pixel granularity these methods need cell_size = 1, which on a 224×224 input means 50,176 units;
 * refusing up front with a concrete alternative beats an executor grinding for hours.
 */
final class PassBudget {
    static final int DEFAULT_MAX_PASSES = 20_000;
    private final int maxPasses;
    private final ModelCard card;
    private final int cellSize;

    PassBudget(ParamReader params, ModelCard card, int cellSize) {
        this.maxPasses = params.integer("max_passes_per_image", DEFAULT_MAX_PASSES, 1, Integer.MAX_VALUE);
        this.card = card;
        this.cellSize = cellSize;
    }

    int maxPasses() {
        return maxPasses;
    }

    /** Units of the cell grid at this budget's cell size. */
    int units() {
        return units(cellSize);
    }

    int units(int cell) {
        return (card.inputHeight() / cell) * (card.inputWidth() / cell);
    }

    boolean fits(long passes) {
        return passes <= maxPasses;
    }

    /** The finest cell size coarser than the configured one (dividing both sides) whose unit count passes {@code ok}. */
    OptionalInt coarserCellSize(IntPredicate ok) {
        int side = Math.min(card.inputHeight(), card.inputWidth());
        for (int c = cellSize + 1; c <= side; c++) {
            if (card.inputHeight() % c == 0 && card.inputWidth() % c == 0 && ok.test(units(c))) {
                return OptionalInt.of(c);
            }
        }
        return OptionalInt.empty();
    }

    /** "use --param M.cell_size=C (G units)" or a note that no cell size helps. */
    String suggestion(String method, IntPredicate ok) {
        OptionalInt c = coarserCellSize(ok);
        if (c.isEmpty()) {
            return "no coarser cell size helps";
        }
        return String.format(Locale.ROOT, "use a coarser grid, e.g. --granularity patch --param %s.cell_size=%d (%d units)",
                method, c.getAsInt(), units(c.getAsInt()));
    }

    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
