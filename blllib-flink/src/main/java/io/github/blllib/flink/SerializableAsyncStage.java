package io.github.blllib.flink;

import java.io.Serializable;

import io.github.blllib.AsyncStage;

/**
 * An {@link AsyncStage} that Flink can ship to its task managers:
 * {@code StageSpec.async("lookup", SerializableAsyncStage.of((Integer x) -> client.lookup(x)))}.
 *
 * @param <I> input type
 * @param <O> output type
 */
@FunctionalInterface
public interface SerializableAsyncStage<I, O> extends AsyncStage<I, O>, Serializable {

	/** The stage itself, typed so that a lambda or method reference becomes serializable. */
	static <I, O> SerializableAsyncStage<I, O> of(SerializableAsyncStage<I, O> stage) {
		return stage;
	}

}
