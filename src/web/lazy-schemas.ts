// Fastify compiles every route's JSON schemas (ajv validators, fast-json-stringify serializers)
// while the server starts: for the admin API and the dashboard, about a tenth of the start-up,
// for routes an organiser may not open for days. These factories wrap Fastify's own compilers
// so each schema is compiled on its route's first request instead, with the same options and
// the same results. A schema that does not compile would fail only its first request, so
// test/web/lazy-schemas.test.ts compiles every route schema of the app eagerly.
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Factories = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type ValidatorFactory = NonNullable<Factories['buildValidator']>;
type SerializerFactory = NonNullable<Factories['buildSerializer']>;

interface Validate {
  (data: unknown, context?: unknown): unknown;
  errors?: unknown;
  /** Tells Fastify to pass the parent object, so ajv may replace a coerced root value. */
  schemaEnv?: unknown;
}

/** Fastify's ajv compiler, compiling each route schema on its first use. */
export function lazyValidators(): ValidatorFactory {
  const eager = AjvCompiler();
  return (externalSchemas, options) => {
    const compileNow = eager(externalSchemas, options);
    return (route) => {
      let compiled: Validate | undefined;
      const validate: Validate = (data, context) => {
        compiled ??= compileNow(route) as Validate;
        // ajv reads the parent only from a compiled schema environment; forward it as Fastify
        // would have, had it seen the compiled function.
        const ok = compiled.schemaEnv ? compiled(data, context) : compiled(data);
        validate.errors = compiled.errors;
        return ok;
      };
      validate.schemaEnv = true;
      return validate as ReturnType<ReturnType<ValidatorFactory>>;
    };
  };
}

/** Fastify's fast-json-stringify compiler, compiling each response schema on its first use. */
export function lazySerializers(): SerializerFactory {
  const eager = SerializerSelector();
  return (externalSchemas, options) => {
    const compileNow = eager(externalSchemas, options);
    return (route) => {
      let compiled: ((data: unknown) => string) | undefined;
      return (data: unknown) => (compiled ??= compileNow(route))(data);
    };
  };
}
