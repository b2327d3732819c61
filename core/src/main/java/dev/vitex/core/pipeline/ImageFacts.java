package dev.vitex.core.pipeline;

import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.model.TargetSelector.ClassScores;

/**
 * What is known about one image of a group when an outcome is reported: its position in the group,
 * id, content hash (null if it could not be read), geometry (null before preprocessing) and every
 * class's score (null before target selection).
 */
public record ImageFacts(int index, String id, String sha256, ImageGeometry geometry, ClassScores scores) {}
