/**
 * Quality of an attribution: deletion and insertion curves and their AUCs, localization against a box.
 * 
 * <p>May use: {@code model}, {@code grid}, {@code perturb}, {@code eval}, {@code method} (the attribution it scores).
 */
package dev.vitex.core.metric;
