package io.github.blllib;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The last {@code k} items seen: each pushed item completes an immutable window of exactly
 * {@code k} consecutive items, step 1, once {@code k} items have been pushed. Holds {@code k}
 * items at most, and memory follows the items held, not {@code k}.
 */
final class SlidingWindow {

	private static final int INITIAL_CAPACITY = 16;

	private final int k;

	private final ArrayDeque<Object> items;

	SlidingWindow(int k) {
		this.k = k;
		this.items = new ArrayDeque<>(Math.min(k, INITIAL_CAPACITY));
	}

	/** Adds an item; returns the window it completes, or null while fewer than k were pushed. */
	List<Object> push(Object item) {
		this.items.addLast(item);
		if (this.items.size() > this.k) {
			this.items.removeFirst();
		}
		if (this.items.size() < this.k) {
			return null;
		}
		return Collections.unmodifiableList(Arrays.asList(this.items.toArray()));
	}

}
