package io.github.blllib;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/** An upstream node that gives some items, then has nothing ready. */
final class ItemsThenNotReady extends RunNode {

	private final Queue<Object> items = new ArrayDeque<>();

	ItemsThenNotReady(Object... items) {
		this.items.addAll(List.of(items));
	}

	private long handed;

	@Override
	Object poll() {
		Object item = this.items.poll();
		if (item == null) {
			return NOT_READY;
		}
		this.handed++;
		return item;
	}

	@Override
	long handedOrigin() {
		return this.handed - 1;
	}

	@Override
	long heldOrigin() {
		return this.handed;
	}

}
