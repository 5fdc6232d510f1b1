// The Alibaba Cloud SDK packages, required when an Alibaba account is first used, not at start.
import { createRequire } from 'node:module';
import type Dysmsapi from '@alicloud/dysmsapi20170525';
import type * as DysmsapiModels from '@alicloud/dysmsapi20170525';
import type { $OpenApiUtil as OpenApiUtil } from '@alicloud/openapi-core';
import type * as Dara from '@darabonba/typescript';

export interface AlibabaSdk {
  Client: typeof Dysmsapi.default;
  $Dysmsapi: typeof DysmsapiModels;
  $OpenApiUtil: typeof OpenApiUtil;
  $dara: typeof Dara;
}

const require = createRequire(import.meta.url);
let sdk: AlibabaSdk | undefined;

export function alibabaSdk(): AlibabaSdk {
  if (!sdk) {
    const models = require('@alicloud/dysmsapi20170525') as typeof DysmsapiModels & { default?: typeof Dysmsapi.default };
    // The package is CommonJS (`exports.default = Client`).
    sdk = {
      Client: (models.default ?? models) as typeof Dysmsapi.default,
      $Dysmsapi: models,
      $OpenApiUtil: (require('@alicloud/openapi-core') as { $OpenApiUtil: typeof OpenApiUtil }).$OpenApiUtil,
      $dara: require('@darabonba/typescript') as typeof Dara,
    };
  }
  return sdk;
}
