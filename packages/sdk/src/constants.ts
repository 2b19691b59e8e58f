import { ErrorCode } from '@parley/protocol';

/**
 * The constants of docs/sdk-reference.md#constants, exported on the namespace and as named exports. Status values are
 * Symbols created once here: apps compare them by identity, so never build a second Symbol with
 * the same description.
 */

// Statuses and states (Symbols).
export const CONVERSATION_STATUS_NOT_JOINED: unique symbol = Symbol('CONVERSATION_STATUS_NOT_JOINED');
export const CONVERSATION_STATUS_JOINING: unique symbol = Symbol('CONVERSATION_STATUS_JOINING');
export const CONVERSATION_STATUS_WAITING: unique symbol = Symbol('CONVERSATION_STATUS_WAITING');
export const CONVERSATION_STATUS_JOINED: unique symbol = Symbol('CONVERSATION_STATUS_JOINED');
export const INVITATION_STATUS_STANDBY: unique symbol = Symbol('INVITATION_STATUS_STANDBY');
export const INVITATION_STATUS_ACCEPTED: unique symbol = Symbol('INVITATION_STATUS_ACCEPTED');
export const INVITATION_STATUS_DECLINED: unique symbol = Symbol('INVITATION_STATUS_DECLINED');
export const INVITATION_STATUS_EXPIRED: unique symbol = Symbol('INVITATION_STATUS_EXPIRED');
export const INVITATION_STATUS_CANCELLED: unique symbol = Symbol('INVITATION_STATUS_CANCELLED');
export const INVITATION_STATUS_ENDED: unique symbol = Symbol('INVITATION_STATUS_ENDED');
export const CALL_STATUS_WAITING_FOR_CALLEE: unique symbol = Symbol('CALL_STATUS_WAITING_FOR_CALLEE');
export const CALL_STATUS_ONGOING: unique symbol = Symbol('CALL_STATUS_ONGOING');
export const CALL_STATUS_ENDED: unique symbol = Symbol('CALL_STATUS_ENDED');
export const DATACHANNEL_STATUS_WAITING: unique symbol = Symbol('DATACHANNEL_STATUS_WAITING');
export const DATACHANNEL_STATUS_ONGOING: unique symbol = Symbol('DATACHANNEL_STATUS_ONGOING');
export const DATACHANNEL_STATUS_ENDED: unique symbol = Symbol('DATACHANNEL_STATUS_ENDED');
export const DATACHANNEL_TYPE_SEND: unique symbol = Symbol('DATACHANNEL_TYPE_SEND');
export const DATACHANNEL_TYPE_RECEIVE: unique symbol = Symbol('DATACHANNEL_TYPE_RECEIVE');
export const CONVERSATION_WHITEBOARD_STARTED: unique symbol = Symbol('CONVERSATION_WHITEBOARD_STARTED');
export const CONVERSATION_WHITEBOARD_NOT_STARTED: unique symbol = Symbol('CONVERSATION_WHITEBOARD_NOT_STARTED');
export const STATE_IDLE: unique symbol = Symbol('STATE_IDLE');
export const STATE_JOINING: unique symbol = Symbol('STATE_JOINING');
export const STATE_ACTIVE: unique symbol = Symbol('STATE_ACTIVE');
export const STATE_LEAVING: unique symbol = Symbol('STATE_LEAVING');

// Roles, access values, stream types, processor and E2EE defaults (strings).
export const CONVERSATION_WAITING_ROOM_PREFIX = 'waiting-room-';
export const CONVERSATION_ROLE_MODERATOR = 'moderator';
export const CONVERSATION_ROLE_CONTRIBUTOR = 'contributor';
export const CONVERSATION_ROLE_GUEST = 'guest';
export const CONVERSATION_ACCESS_GRANTED = 'GRANTED';
export const CONVERSATION_NEED_MODERATOR_ACCEPTATION = 'NEED_MODERATOR_ACCEPTATION';
export const STREAM_TYPE_VIDEO = 'video';
export const STREAM_TYPE_AUDIO = 'audio';
export const STREAM_TYPE_NO_INPUT = 'no_input';
export const DEFAULT_PROCESSOR_TYPE = 'none';
export const E2EE_ENCAPSULATIONS_MODE_DEFAULT = 'apzframe';
export const E2EE_KEY_AGREEMENT_MODE_DEFAULT = 'megolm';
export const E2EE_ENCRYPTION_MODE_DEFAULT = 'aes-256-gcm';
export const E2EE_KEY_STORAGE_MODE_DEFAULT = 'circular-buffer';

// Log levels.
export const LOG_LEVEL_OFF = 0;
export const LOG_LEVEL_ERROR = 1;
export const LOG_LEVEL_WARN = 2;
export const LOG_LEVEL_INFO = 3;
export const LOG_LEVEL_DEBUG = 4;
export const LOG_LEVEL_TRACE = 5;

// Cloud media types (P2).
export const MEDIA_TYPE_PHOTO = 0;
export const MEDIA_TYPE_VIDEO = 1;
export const MEDIA_TYPE_AUDIO = 2;
export const MEDIA_TYPE_DOC = 3;

// Error codes (docs/sdk-reference.md#errors): the wire's `ErrorCode` (declared once, in @parley/protocol) under apiRTC's names.
export const ERROR_OTHER = ErrorCode.OTHER;
export const ERROR_INVALID_CREDENTIALS = ErrorCode.INVALID_CREDENTIALS;
export const ERROR_NETWORK_UNAVAILABLE = ErrorCode.NETWORK_UNAVAILABLE;
export const ERROR_SERVER_UNAVAILABLE = ErrorCode.SERVER_UNAVAILABLE;
export const ERROR_UNAUTHORIZED = ErrorCode.UNAUTHORIZED;
export const ERROR_APIRTC_INITIALISATION_FAILED = ErrorCode.INITIALISATION_FAILED;
export const ERROR_APIRTC_SESSION_ALREADY_ON = ErrorCode.SESSION_ALREADY_ON;
export const ERROR_REGISTRATION_URI_INVALID = ErrorCode.REGISTRATION_URI_INVALID;
export const ERROR_NOT_FOUND = ErrorCode.NOT_FOUND;
export const ERROR_BAD_PARAMETER = ErrorCode.BAD_PARAMETER;
export const ERROR_INVITATION_STATE_INVALID = ErrorCode.INVITATION_STATE_INVALID;
export const ERROR_TIMED_OUT = ErrorCode.TIMED_OUT;
export const ERROR_STREAM_RECORD = ErrorCode.STREAM_RECORD;
export const ERROR_HTTP = ErrorCode.HTTP;
export const ERROR_NOT_ALLOWED = ErrorCode.NOT_ALLOWED;
export const ERROR_OPERATION_CANCELED = ErrorCode.OPERATION_CANCELED;
export const ERROR_WRONG_STATE = ErrorCode.WRONG_STATE;
export const ERROR_ON_SAVE = ErrorCode.ON_SAVE;

// Timing constants in ms (normative for the behaviours of docs/sdk-reference.md#behaviour).
export const CONTACT_DISCONNECTION_DELAY = 10000;
export const CONVERSATION_JOIN_REQUEST_INTERVAL = 5000;
export const JOIN_WAITING_ROOM_PRESENCE_GROUP_TIMEOUT = 3000;
export const CONVERSATION_PARTICIPANT_EJECTION_DELAY = 5000;
export const CONVERSATION_RECORDING_STARTED_DELAY = 10000;
export const CONVERSATION_RECORDING_STOPPED_DELAY = 5000;
export const CONVERSATION_GROUP_CHAT_MEMBER_UPDATE_DELAY = 5000;
export const CONVERSATION_STREAMING_STARTED_DELAY = 10000;
export const CONVERSATION_STREAMING_STOPPED_DELAY = 10000;
export const CONVERSATION_WHITEBOARD_START_DELAY = 5000;
export const APIRTC_MEDIA_DEVICE_DETECTION_DELAY = 10000;
export const STREAM_AUDIO_ANALYSIS_THRESHOLD = 100;

// apiRTC's internal signalling identifiers (P2): exported for compatibility only, Parley's
// wire protocol does not use them.
export const CONTACT_SEND_DATA_IDENTIFIER = 'contact_data';
export const CONTACT_NEW_MEDIA_IDENTIFIER = 'contact_new_media';
export const CONTACT_SEND_FILEINFO_IDENTIFIER = 'contact_file_info';
export const CONTACT_DATACHANNEL_INVITATION = 'contact_datachannel_invitation';
export const CONTACT_EVENTCENTER_DATA_REQUEST = 'contact_event_center_data_request';
export const CONTACT_EVENTCENTER_DATA_ANSWER = 'contact_event_center_data_answer';
export const CONTACT_GET_CAPABILITIES_IDENTIFIER = 'contact_get_capabilities';
export const CONTACT_GET_CAPABILITIES_RESULT_IDENTIFIER = 'contact_get_capabilities_result';
export const CONTACT_GET_SETTINGS_IDENTIFIER = 'contact_get_settings';
export const CONTACT_GET_SETTINGS_RESULT_IDENTIFIER = 'contact_get_settings_result';
export const CONTACT_GET_CONSTRAINTS_IDENTIFIER = 'contact_get_constraints';
export const CONTACT_GET_CONSTRAINTS_RESULT_IDENTIFIER = 'contact_get_constraints_result';
export const CONTACT_CHANGED_CONSTRAINTS_IDENTIFIER = 'contact_changed_constraints';
export const CONTACT_GET_REMOTE_AUDIO_FLOW_STATUS_IDENTIFIER = 'contact_get_remote_audio_flow_status';
export const CONTACT_GET_REMOTE_VIDEO_FLOW_STATUS_IDENTIFIER = 'contact_get_remote_video_flow_status';
export const CONTACT_GET_REMOTE_AUDIO_FLOW_STATUS_RESULT_IDENTIFIER = 'contact_get_remote_audio_flow_status_result';
export const CONTACT_GET_REMOTE_VIDEO_FLOW_STATUS_RESULT_IDENTIFIER = 'contact_get_remote_video_flow_status_result';
export const CONTACT_GET_REMOTE_ERROR = 'contact_get_remote_error';
export const CONTACT_APPLY_CONSTRAINTS_IDENTIFIER = 'contact_apply_constraints_identifier';
export const CONTACT_APPLY_CONSTRAINTS_RESULT_IDENTIFIER = 'contact_apply_constraints_result_identifier';
export const CONTACT_DISABLE_AUDIO_REQUEST = 'contact_disable_audio_request';
export const CONTACT_DISABLE_AUDIO_ANSWER = 'contact_disable_audio_answer';
export const CONTACT_ENABLE_AUDIO_REQUEST = 'contact_enable_audio_request';
export const CONTACT_ENABLE_AUDIO_ANSWER = 'contact_enable_audio_answer';
export const CONTACT_DISABLE_VIDEO_REQUEST = 'contact_disable_video_request';
export const CONTACT_DISABLE_VIDEO_ANSWER = 'contact_disable_video_answer';
export const CONTACT_ENABLE_VIDEO_REQUEST = 'contact_enable_video_request';
export const CONTACT_ENABLE_VIDEO_ANSWER = 'contact_enable_video_answer';
export const CONTACT_STREAM_UPDATED_INFO = 'contact_stream_updated_info';
export const CONTACT_TAKESNAPSHOT_REQUEST = 'contact_takesnapshot_request';
export const CONTACT_TAKESNAPSHOT_ANSWER = 'contact_takesnapshot_answer';
export const CONTACT_REMOTEACCESS_INVITATION_IDENTIFIER = 'contact_remote_access_invite';
export const CONTACT_REMOTEACCESS_ANSWER_IDENTIFIER = 'contact_remote_access_answer';
export const CONTACT_REMOTEACCESS_STOP_IDENTIFIER = 'contact_remote_access_stop';
export const CONTACT_REMOTEACCESS_APP_STATUS_MESSAGE = 'contact_remote_access_app_status_message';
export const CONTACT_REMOTEACCESS_APP_MESSAGE = 'contact_remote_access_app_message';
export const CONVERSATION_SEND_DATA_IDENTIFIER = 'conv_data';
export const CONVERSATION_PERSISTENT_DATA_UPDATE_IDENTIFIER = 'conv_persistent_data_update';
export const CONVERSATION_JOIN_REQUEST_IDENTIFIER = 'conv_join_req';
export const CONVERSATION_JOIN_ANSWER_IDENTIFIER = 'conv_join_ans';
export const CONVERSATION_MODERATOR_CONNECTED_IDENTIFIER = 'conv_moderator_connected';
export const CONVERSATION_NEW_MEDIA_IDENTIFIER = 'conv_new_media';
export const CONVERSATION_CLOSED_IDENTIFIER = 'conv_closed';
export const CONVERSATION_INVITATION_IDENTIFIER = 'conv_invite';
export const INVITATION_ANSWER_IDENTIFIER = 'invite_ans';
