/*
 * The global `apiRTC` this app uses, typed by the SDK's own public declarations so the app cannot
 * drift from the SDK. Type-only: the import below is erased, and at run time the app uses the
 * SDK the server serves (/sdk/parley.js), like any apiRTC app. `.dependency-cruiser.cjs` allows
 * this one type-only import of the SDK's public entry and nothing else from packages/.
 */
import type * as Sdk from 'parley-sdk';

declare global {
  const apiRTC: Sdk.ApiRTCNamespace;

  /** The SDK's public classes and types under the names apps write (`apiRTC.Stream`, …). */
  namespace apiRTC {
    type ApiRTCError = Sdk.ApiRTCError;
    type Contact = Sdk.Contact;
    type ContactListUpdate = Sdk.ContactListUpdate;
    type Conversation = Sdk.Conversation;
    type CreateStreamOptions = Sdk.CreateStreamOptions;
    type MediaDevice = Sdk.MediaDevice;
    type RegisterInformation = Sdk.RegisterInformation;
    type Session = Sdk.Session;
    type Stream = Sdk.Stream;
    type StreamInfo = Sdk.StreamInfo;
    type UserAgent = Sdk.UserAgent;
    type UserData = Sdk.UserData;
  }
}
