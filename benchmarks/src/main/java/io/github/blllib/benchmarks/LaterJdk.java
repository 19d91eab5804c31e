package io.github.blllib.benchmarks;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The JDK features the harness uses beyond its Java 17 baseline, reached by reflection so that
 * the jar runs on 17 and uses them where the running JDK has them: virtual threads (Java 21)
 * and {@code Gatherers.mapConcurrent} (Java 24).
 */
final class LaterJdk {

	static final int VIRTUAL_THREADS = 21;

	static final int GATHERERS = 24;

	private LaterJdk() {
	}

	/** Whether the running JDK is at least {@code feature}. */
	static boolean has(int feature) {
		return Runtime.version().feature() >= feature;
	}

	/** {@code Executors.newVirtualThreadPerTaskExecutor()}; Java 21+. */
	static ExecutorService newVirtualThreadPerTaskExecutor() {
		try {
			return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new UnsupportedOperationException("virtual threads need Java " + VIRTUAL_THREADS + "+", ex);
		}
	}

	/**
	 * {@code stream.gather(Gatherers.mapConcurrent(maxConcurrency, mapper))}: the mapper on up to
	 * {@code maxConcurrency} virtual threads at once, outputs in input order; Java 24+.
	 */
	@SuppressWarnings("unchecked")
	static <T, R> Stream<R> mapConcurrent(Stream<T> stream, int maxConcurrency, Function<? super T, ? extends R> mapper) {
		try {
			Class<?> gatherer = Class.forName("java.util.stream.Gatherer");
			Method mapConcurrent = Class.forName("java.util.stream.Gatherers")
				.getMethod("mapConcurrent", int.class, Function.class);
			Method gather = Stream.class.getMethod("gather", gatherer);
			return (Stream<R>) gather.invoke(stream, mapConcurrent.invoke(null, maxConcurrency, mapper));
		}
		catch (ReflectiveOperationException ex) {
			throw new UnsupportedOperationException("Gatherers.mapConcurrent needs Java " + GATHERERS + "+", ex);
		}
	}

}
