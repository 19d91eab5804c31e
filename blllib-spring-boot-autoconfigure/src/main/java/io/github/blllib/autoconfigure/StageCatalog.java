package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.github.blllib.AsyncStage;
import io.github.blllib.BlllibStage;
import io.github.blllib.DurationLimit;
import io.github.blllib.InvalidStageSettingException;
import io.github.blllib.RateLimit;
import io.github.blllib.RelaxedNames;
import io.github.blllib.Retry;
import io.github.blllib.Stage;
import io.github.blllib.StageSettings;
import io.github.blllib.StageSpec;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.ClassUtils;

/**
 * The application's {@link Stage} and {@link AsyncStage} beans, by bean name, each with the
 * settings it declares:
 * {@link BlllibStage @BlllibStage} on the {@code @Bean} method or else on the bean's class
 * ({@code ${...}} placeholders in {@code stateful} resolved), overridden key by key by the
 * {@code blllib.stages.<name>.*} properties, then parsed by {@link StageSettings#of}; the failure
 * policy ({@code retry.*}, {@code on-failure}, {@code skip-limit}, {@code timeout}) comes from the
 * properties alone. A bad value becomes a {@link BlllibConfigurationException} naming the
 * property or annotation it came from. An async stage takes {@code stateful} {@code true} or
 * {@code false} alike (its calls start in input order on the consuming thread), or a window
 * size, and never runs in master.
 *
 * <p>Settings are read without instantiating beans: a singleton is looked at once it exists, a
 * prototype only through its declared type until {@link #newSpec(String)} first creates one. The
 * whole configuration is checked once every singleton exists, so that start-up fails on it.
 */
final class StageCatalog implements SmartInitializingSingleton {

	/** The settings of a stage that declares none: the annotation's defaults. */
	private static final BlllibStage DEFAULTS = MergedAnnotation.of(BlllibStage.class).synthesize();

	/** Stands in for an async stage bean while its settings are checked, without creating it. */
	private static final AsyncStage<Object, Object> ASYNC_PLACEHOLDER = (input) -> null;

	private static final String AT_LEAST_ONE = "an integer of at least 1";

	private static final String ZERO_OR_MORE = "an integer of zero or more";

	private static final String POSITIVE_DURATION = "a positive duration, such as 500ms or 2s";

	private static final String ZERO_OR_MORE_DURATION = "a duration of zero or more, such as 100ms or 1s";

	private static final String EXCEPTION_CLASS_NAMES = "a comma-separated list of fully qualified names of "
			+ "exception classes (subclasses of java.lang.Throwable) on the class path";

	private final ConfigurableListableBeanFactory beanFactory;

	private final Environment environment;

	private final BlllibProperties properties;

	/** The rate limit of each stage bean that has one, by bean name: one budget per bean. */
	private final Map<String, RateLimit> rateLimits = new ConcurrentHashMap<>();

	/** The runtime classes of stage beans seen by {@link #newSpec(String)}, for prototypes. */
	private final Map<String, Class<?>> observedTypes = new ConcurrentHashMap<>();

	StageCatalog(ConfigurableListableBeanFactory beanFactory, Environment environment, BlllibProperties properties) {
		this.beanFactory = beanFactory;
		this.environment = environment;
		this.properties = properties;
	}

	/** The names of the Stage and AsyncStage beans, sorted. */
	SortedSet<String> names() {
		SortedSet<String> names = new TreeSet<>();
		for (Class<?> type : List.of(Stage.class, AsyncStage.class)) {
			for (String name : this.beanFactory.getBeanNamesForType(type, true, false)) {
				if (!ScopedProxyUtils.isScopedTarget(name)) {
					names.add(name);
				}
			}
		}
		return names;
	}

	/** Whether the stage bean {@code name} is an {@link AsyncStage}, judged without creating it. */
	boolean isAsync(String name) {
		return this.beanFactory.isTypeMatch(name, AsyncStage.class);
	}

	/** Every Stage bean's settings, by name, without creating an instance. */
	SortedMap<String, StageSettings> stages() {
		SortedMap<String, StageSettings> stages = new TreeMap<>();
		names().forEach((name) -> stages.put(name, resolve(name, null)));
		return stages;
	}

	/**
	 * A spec for the Stage bean {@code name} with its settings. Fetches the bean: a
	 * prototype-scoped bean gives a fresh instance on every call.
	 * @throws IllegalArgumentException when there is no such Stage bean, listing the known ones
	 */
	StageSpec<?, ?> newSpec(String name) {
		String beanName = requireStage(name);
		if (isAsync(beanName)) {
			AsyncStage<?, ?> stage = this.beanFactory.getBean(beanName, AsyncStage.class);
			Class<?> type = AopProxyUtils.ultimateTargetClass(stage);
			this.observedTypes.put(beanName, type);
			return withFailurePolicy(StageSpec.async(beanName, stage, resolve(beanName, type)));
		}
		Stage<?, ?> stage = this.beanFactory.getBean(beanName, Stage.class);
		Class<?> type = AopProxyUtils.ultimateTargetClass(stage);
		this.observedTypes.put(beanName, type);
		return withFailurePolicy(StageSpec.of(beanName, stage, resolve(beanName, type)));
	}

	/**
	 * Worker threads of the shared pool: {@code blllib.n-cpu}, or else
	 * {@link StageSettings#defaultNCpu} over every Stage bean.
	 */
	int nCpu() {
		Integer configured = this.properties.getNCpu();
		if (configured != null && configured < 1) {
			throw BlllibConfigurationException.invalidValue("blllib.n-cpu", configured,
					AT_LEAST_ONE + ", or no value for the default max(1, processors - stateful stages)",
					"the worker pool needs at least one thread");
		}
		return (configured != null) ? configured : StageSettings.defaultNCpu(stages().values());
	}

	/**
	 * Checks the whole configuration now that singleton stage beans exist and their classes are
	 * known: every {@code blllib.stages.<name>} key names a Stage bean, every Stage bean's
	 * settings, {@code blllib.n-cpu} and the configured pipelines.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		for (String key : this.properties.getStages().keySet()) {
			if (findStage(key) == null) {
				String property = "blllib.stages." + key;
				throw new BlllibConfigurationException(property, key, "the name of a Stage bean: " + describeNames(),
						"there is no Stage bean named '" + key + "'", "Rename " + property
								+ " to one of the Stage beans (" + describeNames() + ") or define a Stage bean named '"
								+ key + "'.");
			}
		}
		for (String name : names()) {
			if (isAsync(name) && this.beanFactory.isTypeMatch(name, Stage.class)) {
				throw new BlllibConfigurationException("blllib.stages." + propertyKey(name), name,
						"a bean that is either a Stage or an AsyncStage",
						"stage bean '" + name + "' is both a Stage and an AsyncStage, so it is not clear how to call it",
						"Make bean '" + name + "' implement only one of Stage and AsyncStage.");
			}
		}
		stages().forEach((name, settings) -> withFailurePolicy(StageSpec.of(name, (input) -> input, settings)));
		nCpu();
		this.properties.getPipelines().forEach(this::validatePipeline);
	}

	/**
	 * The Stage bean name a configured name refers to, as {@link RelaxedNames} finds it;
	 * {@code null} when there is none.
	 */
	String findStage(String name) {
		return RelaxedNames.find(name, names()).orElse(null);
	}

	/** The known stage names for messages: "a, b, c" or a note that there are none. */
	String describeNames() {
		Set<String> names = names();
		return names.isEmpty() ? "(none: the application defines no Stage or AsyncStage bean)" : String.join(", ", names);
	}

	private String requireStage(String name) {
		String beanName = findStage(name);
		if (beanName == null) {
			throw new IllegalArgumentException(
					"No Stage bean named '" + name + "'; known stage beans: " + describeNames());
		}
		return beanName;
	}

	private void validatePipeline(String pipeline, BlllibProperties.PipelineProperties settings) {
		String property = "blllib.pipelines." + pipeline + ".stages";
		Set<String> seen = new TreeSet<>();
		for (String stage : settings.getStages()) {
			String beanName = findStage(stage);
			if (beanName == null) {
				throw BlllibConfigurationException.invalidValue(property, stage,
						"a comma-separated list of Stage bean names, each one of: " + describeNames(),
						"pipeline '" + pipeline + "' names stage '" + stage + "' but there is no Stage bean by that name");
			}
			if (!seen.add(beanName)) {
				throw BlllibConfigurationException.invalidValue(property, stage,
						"a comma-separated list of distinct Stage bean names, each one of: " + describeNames(),
						"pipeline '" + pipeline + "' names stage '" + stage + "' twice");
			}
		}
	}

	/** The key of {@code name}'s entry in {@code blllib.stages}, as written, or the name itself. */
	private String propertyKey(String name) {
		return RelaxedNames.find(name, this.properties.getStages().keySet()).orElse(name);
	}

	private BlllibProperties.StageProperties stageProperties(String key) {
		return this.properties.getStages().getOrDefault(key, new BlllibProperties.StageProperties());
	}

	/** {@code spec} with the retry, skip and timeout its {@code blllib.stages.<name>.*} properties set. */
	private <I, O> StageSpec<I, O> withFailurePolicy(StageSpec<I, O> spec) {
		String key = propertyKey(spec.name());
		String prefix = "blllib.stages." + key + ".";
		BlllibProperties.StageProperties policy = stageProperties(key);
		Retry retry = retry(prefix + "retry.", policy.getRetry());
		if (retry != null) {
			spec = spec.retry(retry);
		}
		if (policy.getOnFailure() == BlllibProperties.OnFailure.SKIP) {
			spec = spec.skipFailures();
		}
		Long skipLimit = policy.getSkipLimit();
		if (skipLimit != null) {
			if (skipLimit < 0) {
				throw BlllibConfigurationException.invalidValue(prefix + "skip-limit", skipLimit, ZERO_OR_MORE,
						"stage '" + spec.name() + "' cannot skip fewer than zero items");
			}
			spec = spec.skipLimit(skipLimit);
		}
		Duration timeout = policy.getTimeout();
		if (timeout != null) {
			if (timeout.isNegative() || timeout.isZero()) {
				throw BlllibConfigurationException.invalidValue(prefix + "timeout", print(timeout), POSITIVE_DURATION,
						"stage '" + spec.name() + "' needs a positive time for each call");
			}
			if (DurationLimit.exceeds(timeout)) {
				throw BlllibConfigurationException.tooLong(prefix + "timeout", timeout, POSITIVE_DURATION);
			}
			if (spec.isRunInMaster()) {
				throw new BlllibConfigurationException(prefix + "timeout", print(timeout),
						POSITIVE_DURATION + ", on a stage that does not run in master",
						"stage '" + spec.name() + "' runs in master, on the consuming thread, where a call cannot be "
								+ "timed out",
						"Remove " + prefix + "timeout or set " + prefix + "run-in-master=false.");
			}
			spec = spec.timeout(timeout);
		}
		RateLimit rateLimit = rateLimit(spec.name(), prefix + "rate-limit.", policy.getRateLimit());
		return (rateLimit != null) ? spec.rateLimit(rateLimit) : spec;
	}

	/**
	 * The stage bean's rate limit, made once from its {@code rate-limit.*} properties so that
	 * every pipeline using the bean shares one budget; null when {@code permits} is unset.
	 */
	private RateLimit rateLimit(String name, String prefix, BlllibProperties.RateLimitProperties properties) {
		if (properties.getPermits() == null) {
			if (properties.getPeriod() != null) {
				throw new BlllibConfigurationException(prefix + "period", print(properties.getPeriod()),
						"any value, together with " + prefix + "permits",
						"it has no effect without " + prefix + "permits",
						"Set " + prefix + "permits too, or remove " + prefix + "period.");
			}
			return null;
		}
		return this.rateLimits.computeIfAbsent(name, (bean) -> {
			Duration period = (properties.getPeriod() != null) ? properties.getPeriod() : Duration.ofSeconds(1);
			try {
				return RateLimit.of(properties.getPermits(), period);
			}
			catch (InvalidStageSettingException ex) {
				boolean permits = InvalidStageSettingException.RATE_LIMIT_PERMITS.equals(ex.setting());
				throw BlllibConfigurationException.invalidValue(prefix + (permits ? "permits" : "period"),
						permits ? ex.value() : print(period), ex.allowedValues(),
						"stage '" + name + "' needs " + (permits ? "at least one call in each period"
								: "a positive period that blllib can time"));
			}
		});
	}


	/** The retry the {@code retry.*} properties describe, or null when max-retries is unset. */
	private Retry retry(String prefix, BlllibProperties.RetryProperties properties) {
		if (properties.getMaxRetries() == null) {
			Map<String, Object> others = new LinkedHashMap<>();
			others.put("delay", (properties.getDelay() != null) ? print(properties.getDelay()) : null);
			others.put("multiplier", properties.getMultiplier());
			others.put("max-delay", (properties.getMaxDelay() != null) ? print(properties.getMaxDelay()) : null);
			others.put("includes", properties.getIncludes().isEmpty() ? null : String.join(",", properties.getIncludes()));
			others.put("excludes", properties.getExcludes().isEmpty() ? null : String.join(",", properties.getExcludes()));
			for (Map.Entry<String, Object> other : others.entrySet()) {
				if (other.getValue() != null) {
					String orphan = prefix + other.getKey();
					throw new BlllibConfigurationException(orphan, other.getValue(),
							"any value, together with " + prefix + "max-retries",
							"it has no effect without " + prefix + "max-retries",
							"Set " + prefix + "max-retries too, or remove " + orphan + ".");
				}
			}
			return null;
		}
		int maxRetries = properties.getMaxRetries();
		if (maxRetries < 0) {
			throw BlllibConfigurationException.invalidValue(prefix + "max-retries", maxRetries, ZERO_OR_MORE,
					"a call cannot be tried fewer than zero more times");
		}
		Retry retry = Retry.maxRetries(maxRetries);
		if (properties.getDelay() != null) {
			retry = retry.delay(nonNegative(prefix + "delay", properties.getDelay()));
		}
		Double multiplier = properties.getMultiplier();
		if (multiplier != null) {
			if (!(multiplier >= 1) || multiplier.isInfinite()) {
				throw BlllibConfigurationException.invalidValue(prefix + "multiplier", multiplier,
						"a number of at least 1, such as 1.5 or 2", "each wait must be at least as long as the one before");
			}
			retry = retry.multiplier(multiplier);
		}
		if (properties.getMaxDelay() != null) {
			retry = retry.maxDelay(nonNegative(prefix + "max-delay", properties.getMaxDelay()));
		}
		if (!properties.getIncludes().isEmpty()) {
			retry = retry.includes(exceptionTypes(prefix + "includes", properties.getIncludes()));
		}
		if (!properties.getExcludes().isEmpty()) {
			retry = retry.excludes(exceptionTypes(prefix + "excludes", properties.getExcludes()));
		}
		return retry;
	}

	private static Duration nonNegative(String property, Duration duration) {
		if (duration.isNegative()) {
			throw BlllibConfigurationException.invalidValue(property, print(duration), ZERO_OR_MORE_DURATION,
					"a wait cannot be negative");
		}
		if (DurationLimit.exceeds(duration)) {
			throw BlllibConfigurationException.tooLong(property, duration, ZERO_OR_MORE_DURATION);
		}
		return duration;
	}

	@SuppressWarnings("unchecked")
	private Class<? extends Throwable>[] exceptionTypes(String property, List<String> names) {
		Class<?>[] types = new Class<?>[names.size()];
		for (int i = 0; i < types.length; i++) {
			String name = names.get(i).trim();
			Class<?> type;
			try {
				type = ClassUtils.forName(name, this.beanFactory.getBeanClassLoader());
			}
			catch (ClassNotFoundException | LinkageError ex) {
				throw BlllibConfigurationException.invalidValue(property, name, EXCEPTION_CLASS_NAMES,
						"there is no class '" + name + "' on the class path");
			}
			if (!Throwable.class.isAssignableFrom(type)) {
				throw BlllibConfigurationException.invalidValue(property, name, EXCEPTION_CLASS_NAMES,
						"'" + name + "' is not an exception: it does not extend java.lang.Throwable");
			}
			types[i] = type;
		}
		return (Class<? extends Throwable>[]) types;
	}

	private static String print(Duration duration) {
		return DurationStyle.SIMPLE.print(duration);
	}

	/** The annotation's settings with the properties set for {@code name} in their place. */
	private StageSettings resolve(String name, Class<?> runtimeType) {
		BlllibStage annotation = findAnnotation(name, runtimeType);
		String key = propertyKey(name);
		BlllibProperties.StageProperties overrides = stageProperties(key);
		String stateful = overrides.getStateful();
		String unresolvedPlaceholder = null;
		if (stateful == null) {
			try {
				stateful = this.environment.resolveRequiredPlaceholders(annotation.stateful());
			}
			catch (IllegalArgumentException ex) {
				// left as written, so that StageSettings rejects it; the message says why
				stateful = annotation.stateful();
				unresolvedPlaceholder = ex.getMessage();
			}
		}
		int batchSize = (overrides.getBatchSize() != null) ? overrides.getBatchSize() : annotation.batchSize();
		boolean runInMaster = (overrides.getRunInMaster() != null) ? overrides.getRunInMaster()
				: annotation.runInMaster();
		try {
			StageSettings settings = StageSettings.of(name, stateful, batchSize, runInMaster);
			return isAsync(name) ? StageSpec.async(name, ASYNC_PLACEHOLDER, settings).settings() : settings;
		}
		catch (InvalidStageSettingException ex) {
			throw invalidSetting(ex, key, overrides, unresolvedPlaceholder);
		}
	}

	/** A bad setting named by where it was declared: its property when set, else the annotation. */
	private static BlllibConfigurationException invalidSetting(InvalidStageSettingException ex, String key,
			BlllibProperties.StageProperties overrides, String unresolvedPlaceholder) {
		String stage = ex.stage();
		String annotation = "@BlllibStage(" + ex.setting() + ") on stage bean '" + stage + "'";
		if (InvalidStageSettingException.BATCH_SIZE.equals(ex.setting())) {
			String origin = (overrides.getBatchSize() != null) ? "blllib.stages." + key + ".batch-size" : annotation;
			return BlllibConfigurationException.invalidValue(origin, ex.value(), ex.allowedValues(),
					"stage '" + stage + "' needs room for at least one item in flight");
		}
		if (InvalidStageSettingException.RUN_IN_MASTER.equals(ex.setting())) {
			String origin = (overrides.getRunInMaster() != null) ? "blllib.stages." + key + ".run-in-master"
					: annotation;
			return BlllibConfigurationException.invalidValue(origin, ex.value(), ex.allowedValues(),
					"stage '" + stage + "' is an AsyncStage, which never runs on the consuming thread");
		}
		String origin = (overrides.getStateful() != null) ? "blllib.stages." + key + ".stateful" : annotation;
		if (unresolvedPlaceholder != null) {
			return BlllibConfigurationException.invalidValue(origin, ex.value(),
					ex.allowedValues() + ", or a ${...} placeholder that resolves to one of them",
					"its placeholder cannot be resolved (" + unresolvedPlaceholder + ")");
		}
		return BlllibConfigurationException.invalidValue(origin, ex.value(), ex.allowedValues(),
				"stage '" + stage + "' must be stateful (true), stateless (false) or take windows of k >= 1 items");
	}

	/** The annotation on the {@code @Bean} method, else on the bean's class, else the defaults. */
	private BlllibStage findAnnotation(String name, Class<?> runtimeType) {
		if (this.beanFactory.containsBeanDefinition(name)) {
			BeanDefinition definition = this.beanFactory.getBeanDefinition(name);
			if (definition instanceof AnnotatedBeanDefinition annotated) {
				MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
				if (factoryMethod != null) {
					MergedAnnotation<BlllibStage> onMethod = factoryMethod.getAnnotations().get(BlllibStage.class);
					if (onMethod.isPresent()) {
						return onMethod.synthesize();
					}
				}
			}
		}
		Class<?> type = (runtimeType != null) ? runtimeType : knownType(name);
		BlllibStage onClass = (type != null) ? AnnotatedElementUtils.findMergedAnnotation(type, BlllibStage.class)
				: null;
		return (onClass != null) ? onClass : DEFAULTS;
	}

	/** The bean's class as far as it is known without creating an instance. */
	private Class<?> knownType(String name) {
		Class<?> observed = this.observedTypes.get(name);
		if (observed != null) {
			return observed;
		}
		if (this.beanFactory.containsSingleton(name) && !this.beanFactory.isFactoryBean(name)) {
			return AopProxyUtils.ultimateTargetClass(this.beanFactory.getSingleton(name));
		}
		return this.beanFactory.getType(name, false);
	}

}
