// The transport is epoll, eventfd and Glibc; say so at once instead of with a page of missing symbols.
#if !os(Linux)
#error("CampaignRealtime runs on Linux only: its transport uses epoll and eventfd through Glibc")
#endif
