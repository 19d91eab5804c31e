package io.github.blllib.kafka;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

/** Consumers whose calls a test steps into, on the way to a real consumer. */
@SuppressWarnings("unchecked")
final class InterceptedConsumers {

	private InterceptedConsumers() {
	}

	/** Told of the partitions a rebalance revokes. */
	@FunctionalInterface
	interface RevocationListener {

		void revoked(Set<TopicPartition> partitions);

	}

	/**
	 * {@code consumer}, telling {@code listener} of each non-empty set of partitions a rebalance
	 * revokes, before the subscriber's own rebalance listener hears of it.
	 */
	static <K, V> Consumer<K, V> tellingRevocations(Consumer<K, V> consumer, RevocationListener listener) {
		return intercept(consumer, new Interception() {

			@Override
			Object[] before(String method, Object[] arguments) {
				if (method.equals("subscribe") && arguments.length == 2
						&& arguments[1] instanceof ConsumerRebalanceListener subscriber) {
					arguments[1] = telling(subscriber, listener);
				}
				return arguments;
			}

		});
	}

	/**
	 * {@code consumer}, refusing commits as a consumer does during a cooperative rebalance, with
	 * a {@link RebalanceInProgressException} (thrown, or given to an asynchronous commit's
	 * callback) that {@code refused} counts: a commit of offsets not
	 * refused before starts a "rebalance", which refuses every commit until the next poll ends
	 * it; so each set of offsets is committed only when asked again after a poll.
	 */
	static <K, V> Consumer<K, V> refusingCommits(Consumer<K, V> consumer, AtomicInteger refused) {
		Set<Map<?, ?>> refusedOnce = new HashSet<>();
		boolean[] rebalancing = { false };
		return intercept(consumer, new Interception() {

			@Override
			Object[] before(String method, Object[] arguments) {
				if (method.startsWith("commit") && arguments != null && arguments[0] instanceof Map<?, ?> offsets
						&& (rebalancing[0] || refusedOnce.add(Map.copyOf(offsets)))) {
					rebalancing[0] = true;
					refused.incrementAndGet();
					RebalanceInProgressException refusal = new RebalanceInProgressException(
							"refused by the test as during a rebalance");
					if (method.equals("commitAsync") && arguments.length == 2
							&& arguments[1] instanceof OffsetCommitCallback callback) {
						callback.onComplete(Map.copyOf((Map<TopicPartition, OffsetAndMetadata>) offsets), refusal);
						return null;
					}
					throw refusal;
				}
				return arguments;
			}

			@Override
			void after(String method) {
				if (method.equals("poll")) {
					rebalancing[0] = false;
				}
			}

		});
	}

	/** {@code consumer}, telling {@code paused} of each pause of at least one partition. */
	static <K, V> Consumer<K, V> tellingPauses(Consumer<K, V> consumer, Runnable paused) {
		return intercept(consumer, new Interception() {

			@Override
			Object[] before(String method, Object[] arguments) {
				if (method.equals("pause") && !((Collection<?>) arguments[0]).isEmpty()) {
					paused.run();
				}
				return arguments;
			}

		});
	}

	/**
	 * {@code consumer}, holding its commits until {@code held} is released: a synchronous one
	 * blocks its caller, an asynchronous one is passed on at the first call to the consumer after
	 * the release.
	 */
	static <K, V> Consumer<K, V> holdingCommits(Consumer<K, V> consumer, HeldCommits held) {
		return intercept(consumer, new Interception() {

			@Override
			Object[] before(String method, Object[] arguments) throws InterruptedException {
				if (method.startsWith("commit")) {
					held.started.incrementAndGet();
				}
				boolean holding = held.released.getCount() > 0;
				if (holding && method.equals("commitAsync")) {
					held.commits.add(arguments);
					return null;
				}
				if (method.equals("commitSync")) {
					held.released.await();
					holding = false;
				}
				for (Object[] commit : holding ? List.<Object[]>of() : held.commits) {
					held.commits.remove(commit);
					consumer.commitAsync((Map<TopicPartition, OffsetAndMetadata>) commit[0],
							(OffsetCommitCallback) commit[1]);
				}
				return arguments;
			}

		});
	}

	/** The commits a {@link #holdingCommits} consumer holds. */
	static final class HeldCommits {

		private final CountDownLatch released = new CountDownLatch(1);

		private final List<Object[]> commits = new CopyOnWriteArrayList<>();

		private final AtomicInteger started = new AtomicInteger();

		/** The commits asked for, held or not. */
		int started() {
			return this.started.get();
		}

		void release() {
			this.released.countDown();
		}

	}

	private static ConsumerRebalanceListener telling(ConsumerRebalanceListener subscriber,
			RevocationListener listener) {
		return new ConsumerRebalanceListener() {

			@Override
			public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
				if (!partitions.isEmpty()) {
					listener.revoked(Set.copyOf(partitions));
				}
				subscriber.onPartitionsRevoked(partitions);
			}

			@Override
			public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
				subscriber.onPartitionsAssigned(partitions);
			}

			@Override
			public void onPartitionsLost(Collection<TopicPartition> partitions) {
				subscriber.onPartitionsLost(partitions);
			}

		};
	}

	@SuppressWarnings("unchecked")
	private static <K, V> Consumer<K, V> intercept(Consumer<K, V> consumer, Interception interception) {
		InvocationHandler handler = (proxy, method, arguments) -> interception.call(consumer, method, arguments);
		return (Consumer<K, V>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
				new Class<?>[] { Consumer.class }, handler);
	}

	/** Steps into the calls of the poll thread, the only one that calls a job's consumer. */
	private abstract static class Interception {

		/**
		 * Before {@code method}: the arguments to call it with; null (for a method that takes
		 * some) to leave it uncalled, as a {@code void} one that did nothing; or throws instead.
		 */
		Object[] before(String method, Object[] arguments) throws InterruptedException {
			return arguments;
		}

		/** After {@code method} returned or threw. */
		void after(String method) {
		}

		final Object call(Consumer<?, ?> consumer, Method method, Object[] arguments) throws Throwable {
			Object[] actual = before(method.getName(), arguments);
			if (actual == null && arguments != null) {
				return null;
			}
			try {
				return method.invoke(consumer, actual);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
			finally {
				after(method.getName());
			}
		}

	}

}
