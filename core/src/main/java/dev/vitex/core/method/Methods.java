package dev.vitex.core.method;

import dev.vitex.core.model.ModelCard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** The registry of methods by command-line name. */
public final class Methods {
    private static final Map<String, BiFunction<ParamReader, ModelCard, Explainer>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put(Saliency.NAME, (p, card) -> new Saliency(p));
        FACTORIES.put(IntegratedGradients.NAME, (p, card) -> new IntegratedGradients(p, card.channels()));
        FACTORIES.put(SmoothGrad.NAME, (p, card) -> new SmoothGrad(p));
        FACTORIES.put(VarGrad.NAME, (p, card) -> new VarGrad(p));
        FACTORIES.put(SquareGrad.NAME, (p, card) -> new SquareGrad(p));
        FACTORIES.put(GradientShap.NAME, (p, card) -> new GradientShap(p, card.channels()));
        FACTORIES.put(Occlusion.NAME, Occlusion::new);
        FACTORIES.put(Lime.NAME, Lime::new);
        FACTORIES.put(KernelShap.NAME, KernelShap::new);
        FACTORIES.put(Sobol.NAME, Sobol::new);
        FACTORIES.put(AttentionRollout.NAME, AttentionRollout::new);
        FACTORIES.put(AttentionGradient.NAME, AttentionGradient::new);
        FACTORIES.put(Rise.NAME, Rise::new);
        FACTORIES.put(RandomScores.NAME, RandomScores::new);
    }

    private Methods() {}

    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /**
     * Creates a method with its validated parameters; unknown methods and bad parameters are
     * {@link IllegalArgumentException}s naming them and the allowed values.
     */
    public static Explainer create(String name, Map<String, String> params, ModelCard card) {
        BiFunction<ParamReader, ModelCard, Explainer> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown method \"" + name + "\" (known: " + String.join(", ", names()) + ")");
        }
        return factory.apply(new ParamReader(name, params), card);
    }
}
