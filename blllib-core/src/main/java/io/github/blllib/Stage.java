package io.github.blllib;

/**
 * One step of a {@link Pipeline}: maps an input to an output. Returning {@code null}
 * drops the item, so nothing is emitted downstream for that input.
 *
 * @param <I> input type
 * @param <O> output type
 */
@FunctionalInterface
public interface Stage<I, O> {

	O apply(I input) throws Exception;

}
