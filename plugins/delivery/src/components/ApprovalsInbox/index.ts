export { ApprovalsInboxPage } from './ApprovalsInboxPage';
export { ApprovalsSidebarItem } from './ApprovalsSidebarItem';
