package io.github.blllib.flink;

import org.apache.flink.api.java.functions.KeySelector;

/**
 * Keys every item alike, so that an ordering point (parallelism 1) can keep its buffer in Flink's
 * keyed managed state.
 *
 * @param <T> item type
 */
final class SingleKey<T> implements KeySelector<T, Integer> {

	private static final long serialVersionUID = 1L;

	@Override
	public Integer getKey(T value) {
		return 0;
	}

}
