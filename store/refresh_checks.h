// The outcome-dependent limits of what one refresh may change, checked by every Store before
// it writes (defence in depth for the worst bug): only a complete fetch may carry a deletion;
// not_found and not_modified carry no answers and only a thread_gone event; an event that
// names a revision has one. A violation is kInternal (a caller bug), naming the thread.
#ifndef ARCHIVIST_STORE_REFRESH_CHECKS_H_
#define ARCHIVIST_STORE_REFRESH_CHECKS_H_

#include "base/status.h"
#include "store/store.h"

namespace archivist::store {

Status ValidateRefreshRecord(const RefreshRecord& record);

}  // namespace archivist::store

#endif  // ARCHIVIST_STORE_REFRESH_CHECKS_H_
