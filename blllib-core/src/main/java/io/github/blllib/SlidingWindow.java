package io.github.blllib;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The last {@code k} items seen: each pushed item completes an immutable window of exactly
 * {@code k} consecutive items, step 1, once {@code k} items have been pushed. Holds {@code k}
 * items at most.
 */
final class SlidingWindow {

	private final Object[] ring;

	private int size;

	private int start;

	SlidingWindow(int k) {
		this.ring = new Object[k];
	}

	/** Adds an item; returns the window it completes, or null while fewer than k were pushed. */
	List<Object> push(Object item) {
		int k = this.ring.length;
		if (this.size < k) {
			this.ring[(this.start + this.size) % k] = item;
			this.size++;
		}
		else {
			this.ring[this.start] = item;
			this.start = (this.start + 1) % k;
		}
		if (this.size < k) {
			return null;
		}
		Object[] window = new Object[k];
		for (int i = 0; i < k; i++) {
			window[i] = this.ring[(this.start + i) % k];
		}
		return Collections.unmodifiableList(Arrays.asList(window));
	}

}
