package dev.vitex.core.render;

/** How grid scores are spread over the image's pixels. */
public enum OverlayUpsampling {
    /** NEAREST for PATCH grids (a patch is one decision of the model, so its edges stay sharp), BILINEAR for PIXEL grids. */
    AUTO,
    /** Every pixel takes the score of the unit it lies in. */
    NEAREST,
    /** Scores are interpolated between unit centres (smoother, but blurs patch boundaries). */
    BILINEAR
}
