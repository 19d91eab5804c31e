package io.github.blllib.flink;

import java.io.Serializable;

import io.github.blllib.Stage;

/**
 * A {@link Stage} that Flink can ship to its task managers. A lambda is serializable when its
 * target type is: {@code StageSpec.stateless("add", SerializableStage.of((Integer x) -> x + 1))}.
 *
 * @param <I> input type
 * @param <O> output type
 */
@FunctionalInterface
public interface SerializableStage<I, O> extends Stage<I, O>, Serializable {

	/** The stage itself, typed so that a lambda or method reference becomes serializable. */
	static <I, O> SerializableStage<I, O> of(SerializableStage<I, O> stage) {
		return stage;
	}

}
